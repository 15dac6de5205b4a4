// Largest relative difference of erfc between the two policies on [-6, 34], subnormal results aside.
#include <boost/math/special_functions/erf.hpp>
#include <cstdio>
#include <cmath>
#include <cfloat>
using P = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
int main(){
  const int N=4000000; double maxrel=0, at=0; double firstbad=1e9;
  for(int i=0;i<N;i++){double x=-6+40.0*i/N; double a=boost::math::erfc(x), b=boost::math::erfc(x,P());
    if (a!=b && (a<DBL_MIN||b<DBL_MIN)) { if (x<firstbad) firstbad=x; continue; }
    if(a>0){ double r=std::fabs(a-b)/a; if(r>maxrel){maxrel=r; at=x;}}}
  std::printf("max rel diff (normal range) %.3g at %g; first subnormal mismatch x=%g\n", maxrel, at, firstbad);
  std::printf("erfc(27) %g %g\n", boost::math::erfc(27.0), boost::math::erfc(27.0,P()));
}

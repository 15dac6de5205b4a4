// Time Boost.Math erfc on [-6, 6] with the default policy (long double) and gpbo::DoublePrecision.
#include <boost/math/special_functions/erf.hpp>
#include <chrono>
#include <cstdio>
#include <cmath>
using P = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
int main(){
  const int N=2000000; double s1=0,s2=0;
  auto t0=std::chrono::steady_clock::now();
  for(int i=0;i<N;i++){double x=-6+12.0*i/N; s1+=boost::math::erfc(x);}
  auto t1=std::chrono::steady_clock::now();
  for(int i=0;i<N;i++){double x=-6+12.0*i/N; s2+=boost::math::erfc(x,P());}
  auto t2=std::chrono::steady_clock::now();
  std::printf("erfc: long double %.1f ns, double %.1f ns (sums %g %g)\n", std::chrono::duration<double,std::nano>(t1-t0).count()/N, std::chrono::duration<double,std::nano>(t2-t1).count()/N, s1, s2);
}

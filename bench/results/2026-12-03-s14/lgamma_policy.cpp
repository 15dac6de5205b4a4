// Time and compare Boost.Math lgamma/digamma with the default policy and gpbo::DoublePrecision.
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <chrono>
#include <cstdio>
#include <cmath>
using P = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
int main(){
  const int N=2000000; double s1=0,s2=0,s3=0,s4=0, maxrel=0, maxrel2=0;
  auto t0=std::chrono::steady_clock::now();
  for(int i=0;i<N;i++){double x=0.01+200.0*i/N; s1+=boost::math::lgamma(x);}
  auto t1=std::chrono::steady_clock::now();
  for(int i=0;i<N;i++){double x=0.01+200.0*i/N; s2+=boost::math::lgamma(x,P());}
  auto t2=std::chrono::steady_clock::now();
  for(int i=0;i<N;i++){double x=0.01+200.0*i/N; s3+=boost::math::digamma(x);}
  auto t3=std::chrono::steady_clock::now();
  for(int i=0;i<N;i++){double x=0.01+200.0*i/N; s4+=boost::math::digamma(x,P());}
  auto t4=std::chrono::steady_clock::now();
  for(int i=0;i<N;i++){double x=1e-3+1e4*i/N*i/N; double a=boost::math::lgamma(x), b=boost::math::lgamma(x,P()); if(std::fabs(a)>1e-3) maxrel=std::max(maxrel,std::fabs(a-b)/std::fabs(a));
    double c=boost::math::digamma(x), d=boost::math::digamma(x,P()); if(std::fabs(c)>1e-3) maxrel2=std::max(maxrel2,std::fabs(c-d)/std::fabs(c));}
  auto ns=[&](auto a, auto b){return std::chrono::duration<double,std::nano>(b-a).count()/N;};
  std::printf("lgamma ld %.1f d %.1f ns; digamma ld %.1f d %.1f ns; max rel %.3g %.3g (%g %g %g %g)\n", ns(t0,t1), ns(t1,t2), ns(t2,t3), ns(t3,t4), maxrel, maxrel2, s1,s2,s3,s4);
}

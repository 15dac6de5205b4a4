#pragma once
// GPBO_MULTIVERSION marks a function whose plain loops the compiler builds twice, for AVX2 and
// for the x86-64 baseline; the CPU picks one when the program starts (GCC target_clones). A
// portable build then still uses the wide registers of the machine it runs on. Loops in such
// functions are written so that they vectorize: `#pragma omp simd` (the files are compiled with
// -fopenmp-simd, no OpenMP runtime) and -fno-math-errno, so that sqrt is one instruction.
// Not under ThreadSanitizer: GCC instruments the clones' resolver, which the loader runs before
// the sanitizer's runtime is up (a crash before main).

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define GPBO_MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define GPBO_MULTIVERSION
#endif

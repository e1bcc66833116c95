// The reference for bench/BandwidthCheck: each thread sums its slice with AVX2 loads; the best pass per thread, summed.

#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static long slice; static char *buf; static double secs;
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static void *work(void *arg){ long i=(long)arg; char *s=buf+i*slice; memset(s,i+1,slice); double best=0,end=now()+secs; __m256i acc=_mm256_setzero_si256();
  while(now()<end){ double t0=now(); for(long o=0;o<slice;o+=128){ acc=_mm256_add_epi64(acc,_mm256_load_si256((__m256i*)(s+o))); acc=_mm256_add_epi64(acc,_mm256_load_si256((__m256i*)(s+o+32))); acc=_mm256_add_epi64(acc,_mm256_load_si256((__m256i*)(s+o+64))); acc=_mm256_add_epi64(acc,_mm256_load_si256((__m256i*)(s+o+96)));} double r=slice/(now()-t0); if(r>best)best=r; }
  volatile long sink=_mm256_extract_epi64(acc,0); (void)sink; double *res=malloc(sizeof(double)); *res=best; return res; }
int main(int c,char**v){ int th=atoi(v[1]); long bytes=atol(v[2]); secs=atof(v[3]); slice=bytes/th/128*128; buf=aligned_alloc(4096,slice*th);
  pthread_t t[64]; for(long i=0;i<th;i++)pthread_create(&t[i],0,work,(void*)i); double sum=0; for(int i=0;i<th;i++){double*r;pthread_join(t[i],(void**)&r);sum+=*r;} printf("%.2f\n",sum/1e9); return 0; }

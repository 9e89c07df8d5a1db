#ifndef CLAMP_H
#define CLAMP_H
int clamp_percent(int v);
#endif

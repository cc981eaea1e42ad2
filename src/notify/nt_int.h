/* SPDX-License-Identifier: MIT */
/* Internals shared by the files of notify/. */
#ifndef SH_NOTIFY_INT_H
#define SH_NOTIFY_INT_H

/* curl_global_init once per process (thread-safe). */
void nt_curl_init(void);

#endif

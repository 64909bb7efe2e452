/* SPDX-License-Identifier: Apache-2.0 */
/* Agent diagnostics: one line per message on the log fd (the console in a VM, stderr on a host). */
#ifndef KTSTR_AGENT_LOG_H
#define KTSTR_AGENT_LOG_H

void log_set_fd(int fd);
int log_fd(void);
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes a raw line (no prefix), e.g. a marker the host looks for on the console. */
void log_marker(const char *line);

#endif

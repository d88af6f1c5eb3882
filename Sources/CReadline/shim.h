#ifndef RETORT_CREADLINE_SHIM_H
#define RETORT_CREADLINE_SHIM_H
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <readline/readline.h>
#include <readline/history.h>

/* Swift 6 rejects direct access to mutable C globals, so each one the REPL needs is
   reached through a small accessor. */
static inline void retort_rl_set_completion_function(rl_completion_func_t *f) {
  rl_attempted_completion_function = f;
}
static inline void retort_rl_set_completion_entry(rl_compentry_func_t *f) {
  rl_completion_entry_function = f;
}
static inline void retort_rl_set_completion_append(int c) { rl_completion_append_character = c; }
static inline void retort_rl_set_attempted_over(int v) { rl_attempted_completion_over = v; }
static inline const char *retort_rl_line_buffer(void) { return rl_line_buffer; }
static inline int retort_rl_point(void) { return rl_point; }
static inline void retort_rl_set_basic_word_break(const char *s) {
  rl_basic_word_break_characters = (char *)s;
}
static inline void retort_rl_set_catch_signals(int v) { rl_catch_signals = v; }
static inline void retort_rl_set_readline_name(const char *s) { rl_readline_name = s; }
static inline void retort_rl_set_completion_quote_chars(const char *s) {
  rl_completer_quote_characters = s;
}
static inline int retort_rl_completion_quote_character(void) {
  return rl_completion_quote_character;
}
static inline void retort_rl_set_filename_completion_desired(int v) {
  rl_filename_completion_desired = v;
}

/* Ctrl-C: a plain handler only counts; the REPL reads the count outside the handler. */
static volatile sig_atomic_t retort_sigint_count = 0;
static inline void retort_sigint_handler(int sig) { (void)sig; retort_sigint_count++; }
static inline void retort_install_sigint_handler(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = retort_sigint_handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0; /* no SA_RESTART: readline's read() returns so its hook runs */
  sigaction(SIGINT, &action, NULL);
}
/* A blocked SIGINT is inherited across exec (a parent that blocks it, a test runner),
   so the REPL unblocks it on its own thread before relying on Ctrl-C. */
static inline void retort_unblock_sigint(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}
static inline int retort_take_sigint(void) {
  int count = retort_sigint_count;
  retort_sigint_count = 0;
  return count;
}
static inline int retort_peek_sigint(void) { return retort_sigint_count; }
static inline void retort_rl_set_signal_event_hook(rl_hook_func_t *hook) {
  rl_signal_event_hook = hook;
}
/* Clears the line being edited and shows a fresh prompt (Ctrl-C while typing). */
static inline void retort_rl_clear_line(void) {
  rl_replace_line("", 0);
  rl_crlf();
  rl_on_new_line();
  rl_redisplay();
}

/* The SIGINT may land on any thread (OpenBLAS starts workers before main runs), so
   readline's read() on the main thread is not reliably interrupted. Instead, keys are read
   with a short poll, and a pending Ctrl-C clears the line between polls. */
static inline int retort_rl_getc(FILE *stream) {
  int fd = fileno(stream);
  for (;;) {
    if (retort_sigint_count > 0) {
      retort_sigint_count = 0;
      retort_rl_clear_line();
    }
    struct pollfd request = {fd, POLLIN, 0};
    int ready = poll(&request, 1, 50);
    if (ready < 0 && errno != EINTR) return EOF;
    if (ready <= 0) continue;
    unsigned char key;
    ssize_t count = read(fd, &key, 1);
    if (count == 1) return key;
    if (count == 0) return EOF;
    if (errno != EINTR && errno != EAGAIN) return EOF;
  }
}
static inline void retort_rl_use_polling_getc(void) { rl_getc_function = retort_rl_getc; }
#endif

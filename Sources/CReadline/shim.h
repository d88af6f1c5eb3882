#ifndef RETORT_CREADLINE_SHIM_H
#define RETORT_CREADLINE_SHIM_H
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

/* Swift 6 rejects direct access to mutable C globals, so each one the REPL needs is
   reached through a small accessor. */
static inline void retort_rl_set_completion_function(rl_completion_func_t *f) {
  rl_attempted_completion_function = f;
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
#endif

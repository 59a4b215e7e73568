/* GNU readline, loaded at run time by interactive shells only.
 *
 * A script or a `cosh -c` string never edits a line nor keeps history,
 * so it never maps libreadline and libtinfo: that keeps its start-up
 * time and memory to what the shell itself needs.  An interactive shell
 * calls rlapi_load() once; every readline function and variable is then
 * reached through sh->rl, a table with one field per symbol, named as
 * the symbol and typed from readline's own header:
 *
 *     sh->rl->rl_redisplay();        *sh->rl->rl_point = 0;
 */
#ifndef COSH_RLAPI_H
#define COSH_RLAPI_H

#include <stdbool.h>
#include <stdio.h> /* readline.h needs FILE */

#include <readline/history.h>
#include <readline/readline.h>

struct shell;

#define RLAPI_SYMBOLS(X)                                                                       \
	X(rl_callback_handler_install)                                                         \
	X(rl_callback_handler_remove)                                                          \
	X(rl_callback_read_char)                                                               \
	X(rl_callback_sigcleanup)                                                              \
	X(rl_cleanup_after_signal)                                                             \
	X(rl_free_line_state)                                                                  \
	X(rl_resize_terminal)                                                                  \
	X(rl_copy_text)                                                                        \
	X(rl_save_prompt)                                                                      \
	X(rl_restore_prompt)                                                                   \
	X(rl_replace_line)                                                                     \
	X(rl_redisplay)                                                                        \
	X(rl_forced_update_display)                                                            \
	X(rl_readline_name)                                                                    \
	X(rl_catch_signals)                                                                    \
	X(rl_catch_sigwinch)                                                                   \
	X(rl_attempted_completion_function)                                                    \
	X(rl_attempted_completion_over)                                                        \
	X(rl_line_buffer)                                                                      \
	X(rl_point)                                                                            \
	X(rl_end)                                                                              \
	X(rl_completer_word_break_characters)                                                  \
	X(rl_completer_quote_characters)                                                       \
	X(rl_filename_quote_characters)                                                        \
	X(rl_filename_quoting_function)                                                        \
	X(rl_filename_dequoting_function)                                                      \
	X(rl_char_is_quoted_p)                                                                 \
	X(using_history)                                                                       \
	X(stifle_history)                                                                      \
	X(read_history)                                                                        \
	X(write_history)                                                                       \
	X(append_history)                                                                      \
	X(add_history)                                                                         \
	X(history_get)                                                                         \
	X(history_list)                                                                        \
	X(clear_history)                                                                       \
	X(history_length)                                                                      \
	X(history_base)                                                                        \
	X(history_comment_char)                                                                \
	X(history_write_timestamps)                                                            \
	X(history_multiline_entries)

struct rlapi {
	void *handle; /* from dlopen */
#define RLAPI_FIELD(name) __typeof__(name) *name;
	RLAPI_SYMBOLS(RLAPI_FIELD)
#undef RLAPI_FIELD
};

/* Loads readline into sh->rl unless it is there already.  False, with a
 * `cosh:` warning saying line editing and history are off, when the
 * library or one of its symbols cannot be found. */
bool rlapi_load(struct shell *sh);

/* Frees sh->rl (the library stays mapped: readline may hold state). */
void rlapi_free(struct shell *sh);

#endif

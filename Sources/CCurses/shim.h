// What Swift cannot import from curses directly: function-like macros, the
// stdscr global (unsafe under Swift 6 concurrency checking) and mouse masks.
#ifndef ATTUNE_CURSES_SHIM_H
#define ATTUNE_CURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>

static inline WINDOW *attune_stdscr(void) { return stdscr; }
static inline int attune_lines(void) { return LINES; }
static inline int attune_cols(void) { return COLS; }
static inline int attune_colors(void) { return COLORS; }
static inline int attune_color_pairs(void) { return COLOR_PAIRS; }
static inline int attune_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline void attune_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }
static inline void attune_getbegyx(WINDOW *w, int *y, int *x) { int yy, xx; getbegyx(w, yy, xx); *y = yy; *x = xx; }
static inline int attune_attr_bold(void) { return (int)A_BOLD; }
static inline int attune_attr_reverse(void) { return (int)A_REVERSE; }
static inline int attune_attr_underline(void) { return (int)A_UNDERLINE; }
static inline int attune_attr_dim(void) { return (int)A_DIM; }
static inline int attune_attr_normal(void) { return (int)A_NORMAL; }
static inline unsigned long attune_all_mouse_events(void) { return (unsigned long)(ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION); }
static inline unsigned long attune_button1_pressed(void) { return (unsigned long)BUTTON1_PRESSED; }
static inline unsigned long attune_button1_released(void) { return (unsigned long)BUTTON1_RELEASED; }
static inline unsigned long attune_button1_clicked(void) { return (unsigned long)BUTTON1_CLICKED; }
static inline unsigned long attune_button3_pressed(void) { return (unsigned long)BUTTON3_PRESSED; }
static inline unsigned long attune_button4_pressed(void) { return (unsigned long)BUTTON4_PRESSED; }
static inline unsigned long attune_button5_pressed(void) { return (unsigned long)BUTTON5_PRESSED; }
static inline unsigned long attune_report_mouse_position(void) { return (unsigned long)REPORT_MOUSE_POSITION; }
// printw is variadic; Swift formats the string and hands it over here.
static inline int attune_mvwaddstr(WINDOW *w, int y, int x, const char *s) { return mvwaddstr(w, y, x, s); }
static inline int attune_mvwaddnstr(WINDOW *w, int y, int x, const char *s, int n) { return mvwaddnstr(w, y, x, s, n); }
#endif

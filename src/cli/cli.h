/* SPDX-License-Identifier: MIT */
/* Subcommands of the `shouhou` binary: one cmd_<name>() per file, listed in main.c.
 * Each returns the process exit code (0 ok, 1 failure, 2 usage error). */
#ifndef SH_CLI_H
#define SH_CLI_H

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_optimize(int argc, char **argv);
int cmd_visits(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_meta(int argc, char **argv);

#endif

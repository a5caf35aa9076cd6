/*
 * The jail launcher: the first process of every jail. A warm jail is set up ahead of time, so
 * that a run pays only for its own program (verifier_service/sandbox/warm.py); a fresh one gets
 * its command as soon as it is ready. Either way a program that cannot be executed is reported.
 *
 *   launcher CONTROL_FD STATUS_FD
 *
 * 1. Writes "R" to STATUS_FD (the jail is ready), then reads CONTROL_FD to its end. An empty
 *    message (the service closed the pipe without a run) exits quietly.
 * 2. The message is a sequence of NUL-terminated strings: "W<seconds>" the wall limit,
 *    "E<NAME=VALUE>" one environment entry, "A<argument>" one argument (the first an absolute
 *    path: there is no PATH search, as with nsjail itself).
 * 3. Forks and executes the program. The launcher is PID 1 of the jail's PID namespace, so its
 *    exit kills whatever the program left behind; it reaps every child and exits with the
 *    program's status: its exit code, or 128+N for signal N (nsjail's own encoding). At the
 *    wall limit it exits 128+SIGKILL, taking the program with it.
 *
 * An exec failure is written to STATUS_FD as "E<message>" and the run exits 127: the service
 * reads it as a sandbox fault, never as the program's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MESSAGE_MAX (1 << 20)
#define STRINGS_MAX 4096
#define LAUNCHER_FAILED 126
#define EXEC_FAILED 127

static char message[MESSAGE_MAX + 1];

static void wall_limit_reached(int signal_number) {
    (void)signal_number;
    _exit(128 + SIGKILL);
}

static size_t read_message(int descriptor) {
    size_t used = 0;
    while (used < MESSAGE_MAX) {
        ssize_t got = read(descriptor, message + used, MESSAGE_MAX - used);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        used += (size_t)got;
    }
    message[used] = '\0';
    return used;
}

static int wait_for(pid_t program) {
    for (;;) {
        int status = 0;
        pid_t pid = wait(&status);
        if (pid < 0 && errno == EINTR) {
            continue;
        }
        if (pid < 0) {
            return LAUNCHER_FAILED;
        }
        if (pid == program) {
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        return LAUNCHER_FAILED;
    }
    int control = atoi(argv[1]);
    int status = atoi(argv[2]);
    if (fcntl(status, F_SETFD, FD_CLOEXEC) != 0 || write(status, "R", 1) != 1) {
        return LAUNCHER_FAILED;
    }
    size_t length = read_message(control);
    close(control);
    if (length == 0) {
        return 0;
    }
    static char *arguments[STRINGS_MAX + 1];
    static char *environment[STRINGS_MAX + 1];
    size_t argument_count = 0;
    size_t environment_count = 0;
    unsigned wall_s = 0;
    for (char *entry = message; entry < message + length; entry += strlen(entry) + 1) {
        if (entry[0] == 'A' && argument_count < STRINGS_MAX) {
            arguments[argument_count++] = entry + 1;
        } else if (entry[0] == 'E' && environment_count < STRINGS_MAX) {
            environment[environment_count++] = entry + 1;
        } else if (entry[0] == 'W') {
            wall_s = (unsigned)strtoul(entry + 1, NULL, 10);
        }
    }
    if (argument_count == 0) {
        return LAUNCHER_FAILED;
    }
    pid_t program = fork();
    if (program < 0) {
        dprintf(status, "Ecannot fork: %s", strerror(errno));
        return LAUNCHER_FAILED;
    }
    if (program == 0) {
        execve(arguments[0], arguments, environment);
        dprintf(status, "Ecannot execute %s: %s", arguments[0], strerror(errno));
        _exit(EXEC_FAILED);
    }
    close(status);
    signal(SIGALRM, wall_limit_reached);
    if (wall_s > 0) {
        alarm(wall_s);
    }
    return wait_for(program);
}

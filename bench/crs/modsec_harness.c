/*
 * The reference side of bench/crs.sh: runs libmodsecurity3 over the requests of an access log,
 * one transaction per line, and prints the CRS rule ids each line fired and the time it took.
 *
 * Usage: modsec_harness <rules.conf> <requests.tsv> <ids-out> [passes]
 *   rules.conf    a file that includes the set-up and the CRS rules (bench/crs.sh writes it)
 *   requests.tsv  one request a line: client-ip, method, uri, protocol version (1.1), User-Agent,
 *                 Referer, Host; tab-separated; an empty field is absent; \xHH stands for a byte
 *                 (tab, newline, backslash and control bytes are written so)
 *   ids-out       per line "<n>\t<id id ...>\t<microseconds>", ids sorted, first pass only
 *   passes        how many times to run the whole file (default 1); each pass's rate goes to stdout
 *
 * Rule ids come from the log callback, which libmodsecurity calls once for every rule that matched
 * and logs (each message carries [id "..."]), in DetectionOnly as in blocking mode.
 */
#define _GNU_SOURCE
#include <modsecurity/modsecurity.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FIELDS 7
#define MAX_IDS 256

struct fired {
    int n;
    long ids[MAX_IDS];
};

static void on_log(void *data, const void *message) {
    struct fired *f = data;
    const char *m = message;
    if (f == NULL || m == NULL) {
        return;
    }
    for (const char *p = strstr(m, "[id \""); p != NULL; p = strstr(p + 1, "[id \"")) {
        long id = strtol(p + 5, NULL, 10);
        int seen = 0;
        for (int i = 0; i < f->n; i++) {
            seen |= f->ids[i] == id;
        }
        if (!seen && f->n < MAX_IDS && id > 0) {
            f->ids[f->n++] = id;
        }
    }
}

static int by_value(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static int hex(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Undoes the \xHH escapes in place; returns the byte length. */
static size_t unescape(char *s) {
    char *out = s;
    for (char *in = s; *in; in++) {
        if (in[0] == '\\' && in[1] == 'x' && hex(in[2]) >= 0 && hex(in[3]) >= 0) {
            *out++ = (char)(hex(in[2]) * 16 + hex(in[3]));
            in += 3;
        } else {
            *out++ = *in;
        }
    }
    *out = 0;
    return (size_t)(out - s);
}

struct request {
    char *field[FIELDS];
    size_t len[FIELDS];
};

static double seconds(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void header(Transaction *t, const char *name, const struct request *r, int i) {
    if (r->len[i] > 0) {
        msc_add_n_request_header(t, (const unsigned char *)name, strlen(name),
                                 (const unsigned char *)r->field[i], r->len[i]);
    }
}

static void run(ModSecurity *ms, RulesSet *rules, const struct request *r, struct fired *f) {
    f->n = 0;
    Transaction *t = msc_new_transaction(ms, rules, f);
    msc_process_connection(t, r->len[0] ? r->field[0] : "127.0.0.1", 40000, "127.0.0.1", 80);
    msc_process_uri(t, r->field[2], r->field[1], r->field[3]);
    header(t, "User-Agent", r, 4);
    header(t, "Referer", r, 5);
    header(t, "Host", r, 6);
    msc_process_request_headers(t);
    msc_process_request_body(t);
    msc_transaction_cleanup(t);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s <rules.conf> <requests.tsv> <ids-out> [passes]\n", argv[0]);
        return 2;
    }
    int passes = argc > 4 ? atoi(argv[4]) : 1;
    ModSecurity *ms = msc_init();
    msc_set_connector_info(ms, "caravan-bench");
    msc_set_log_cb(ms, on_log);
    RulesSet *rules = msc_create_rules_set();
    const char *error = NULL;
    if (msc_rules_add_file(rules, argv[1], &error) < 0) {
        fprintf(stderr, "modsec_harness: cannot load %s: %s\n", argv[1], error ? error : "?");
        return 1;
    }

    FILE *in = fopen(argv[2], "r");
    if (in == NULL) {
        perror(argv[2]);
        return 1;
    }
    size_t n = 0, cap = 1024;
    struct request *reqs = malloc(cap * sizeof *reqs);
    char *line = NULL;
    size_t size = 0;
    ssize_t got;
    while ((got = getline(&line, &size, in)) > 0) {
        if (line[got - 1] == '\n') {
            line[got - 1] = 0;
        }
        if (n == cap) {
            cap *= 2;
            reqs = realloc(reqs, cap * sizeof *reqs);
        }
        char *rest = strdup(line);
        for (int i = 0; i < FIELDS; i++) {
            reqs[n].field[i] = strsep(&rest, "\t");
            if (reqs[n].field[i] == NULL) {
                reqs[n].field[i] = "";
            }
            reqs[n].len[i] = unescape(reqs[n].field[i]);
        }
        n++;
    }
    fclose(in);
    free(line);

    FILE *out = fopen(argv[3], "w");
    if (out == NULL) {
        perror(argv[3]);
        return 1;
    }
    struct fired f;
    for (int p = 0; p < passes; p++) {
        double cpu0 = seconds(CLOCK_THREAD_CPUTIME_ID), wall0 = seconds(CLOCK_MONOTONIC);
        for (size_t i = 0; i < n; i++) {
            double t0 = p == 0 ? seconds(CLOCK_MONOTONIC) : 0;
            run(ms, rules, &reqs[i], &f);
            if (p == 0) {
                double micros = (seconds(CLOCK_MONOTONIC) - t0) * 1e6;
                qsort(f.ids, f.n, sizeof f.ids[0], by_value);
                fprintf(out, "%zu\t", i + 1);
                for (int k = 0; k < f.n; k++) {
                    fprintf(out, k ? " %ld" : "%ld", f.ids[k]);
                }
                fprintf(out, "\t%.1f\n", micros);
            }
        }
        double cpu = seconds(CLOCK_THREAD_CPUTIME_ID) - cpu0, wall = seconds(CLOCK_MONOTONIC) - wall0;
        printf("libmodsecurity %s pass %d: %zu events in %.3f s CPU (%.3f s wall): %.0f events/s per core\n",
               msc_who_am_i(ms), p + 1, n, cpu, wall, n / cpu);
    }
    fclose(out);
    msc_rules_cleanup(rules);
    msc_cleanup(ms);
    return 0;
}

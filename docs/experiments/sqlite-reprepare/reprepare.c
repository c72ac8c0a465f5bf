/*
 * Why the C driver reads some queries slower than modernc did: SQLite
 * re-prepares a statement at every step when the driver clears its
 * bindings before each execution (mattn/go-sqlite3 does so from v1.14.36 on)
 * and the statement's plan may depend on a bound value (its expmask is set,
 * e.g. `WHERE col = ? ORDER BY id DESC`). sqlite3_clear_bindings() expires
 * such a statement unconditionally, where binding a new value would not.
 *
 * Each query runs on two connections: one as the driver opens it, one with
 * SQLite's query-planner stability guarantee on (SQLITE_DBCONFIG_ENABLE_QPSG),
 * under which the planner never looks at a bound value, so no statement is
 * marked to be prepared again when its bindings change or are cleared.
 *
 * Build against the amalgamation the driver bundles, and run on a parkdesk
 * SQLite database (the demo park):
 *   M=$(go env GOMODCACHE)/github.com/mattn/go-sqlite3@v1.14.53
 *   gcc -O2 -DSQLITE_THREADSAFE=1 -I$M -o reprepare reprepare.c $M/sqlite3-binding.c -lpthread -lm
 *   ./reprepare parkdesk.db
 */
#include <stdio.h>
#include <time.h>
#include "sqlite3-binding.h"

static double now(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
	sqlite3 *dbs[2];
	for (int qpsg = 0; qpsg < 2; qpsg++) {
		if (argc < 2 || sqlite3_open_v2(argv[1], &dbs[qpsg], SQLITE_OPEN_READONLY, 0) != SQLITE_OK) {
			fprintf(stderr, "usage: reprepare parkdesk.db\n");
			return 2;
		}
		int on = -1;
		sqlite3_db_config(dbs[qpsg], SQLITE_DBCONFIG_ENABLE_QPSG, qpsg, &on);
		if (on != qpsg) {
			fprintf(stderr, "QPSG is %d, want %d\n", on, qpsg);
			return 1;
		}
	}
	const char *queries[] = {
		"SELECT v.id FROM touch_visits v WHERE v.enterprise_id = ? ORDER BY v.id DESC LIMIT 20",
		"SELECT v.id FROM touch_visits v WHERE v.enterprise_id = ? ORDER BY v.id DESC LIMIT ?",
		"SELECT v.id FROM touch_visits v WHERE v.enterprise_id = ?",
		"SELECT name FROM enterprises WHERE id = ?",
	};
	const int nqueries = sizeof queries / sizeof *queries;
	const int n = 20000;
	printf("SQLite %s\n", sqlite3_libversion());
	for (int q = 0; q < nqueries; q++) {
		for (int qpsg = 0; qpsg < 2; qpsg++) {
			for (int clear = 0; clear < 2; clear++) {
				sqlite3_stmt *s;
				if (sqlite3_prepare_v2(dbs[qpsg], queries[q], -1, &s, 0) != SQLITE_OK) {
					fprintf(stderr, "%s\n", sqlite3_errmsg(dbs[qpsg]));
					return 1;
				}
				double t0 = now();
				for (int i = 0; i < n; i++) {
					sqlite3_reset(s);
					if (clear)
						sqlite3_clear_bindings(s);
					sqlite3_bind_int64(s, 1, 5);
					if (sqlite3_bind_parameter_count(s) > 1)
						sqlite3_bind_int64(s, 2, 20);
					while (sqlite3_step(s) == SQLITE_ROW) {
					}
				}
				printf("%-88s QPSG %d clear_bindings %d: %5.1f us a run, re-prepared %5d times\n",
				       queries[q], qpsg, clear, (now() - t0) / n * 1e6,
				       sqlite3_stmt_status(s, SQLITE_STMTSTATUS_REPREPARE, 0));
				sqlite3_finalize(s);
			}
		}
	}
	sqlite3_close(dbs[0]);
	sqlite3_close(dbs[1]);
	return 0;
}

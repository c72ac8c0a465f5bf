package store

// The driver, mattn/go-sqlite3, calls sqlite3_clear_bindings before every
// run of a statement, and that makes SQLite prepare again (parse and plan)
// every statement whose plan may depend on a bound value — `… WHERE
// enterprise_id = ? ORDER BY id DESC LIMIT 20`, the shape of most of
// parkdesk's lists — at every run (docs/experiments/sqlite-reprepare).
// SQLite's query-planner stability guarantee (QPSG) makes a plan never
// depend on bound values, so nothing is marked to be prepared again.
//
// The driver gives no access to a connection's sqlite3 handle, which
// sqlite3_db_config needs. sqlite3_auto_extension does not need it: SQLite
// calls the function registered with it on every connection it opens, with
// the connection's handle, before the driver runs its pragmas. The three
// functions below are SQLite's public C API; their code is the driver's
// copy of SQLite, linked into the same binary, so they are declared here
// instead of included (the driver's header is not on this package's
// include path). The registration holds for every connection of the
// process, which are all parkdesk's. What else the guarantee changes — a
// bound value no longer selects a partial index whose WHERE names that
// value — is in docs/experiments/sqlite-reprepare.

/*
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_api_routines sqlite3_api_routines;
int sqlite3_auto_extension(void (*entry)(void));
int sqlite3_db_config(sqlite3 *db, int op, ...);
char *sqlite3_mprintf(const char *format, ...);

enum { sqliteOK = 0, sqliteDBConfigEnableQPSG = 1007 };

static int parkdesk_enable_qpsg(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api) {
	(void)api;
	int on = 0;
	int rc = sqlite3_db_config(db, sqliteDBConfigEnableQPSG, 1, &on);
	if (rc != sqliteOK || on != 1) {
		*errmsg = sqlite3_mprintf("parkdesk: SQLite refused the query-planner stability guarantee (error %d)", rc);
		return rc != sqliteOK ? rc : 1;
	}
	return sqliteOK;
}

static int parkdesk_enable_qpsg_on_every_connection(void) {
	return sqlite3_auto_extension((void (*)(void))parkdesk_enable_qpsg);
}
*/
import "C"

import (
	"fmt"
	"sync"
)

// enableQPSGOnEveryConnection registers, once, the function that turns the
// guarantee on for each SQLite connection opened afterwards. A connection
// on which SQLite refuses it fails to open, with the reason, rather than
// serving with every list query prepared again at each run.
var enableQPSGOnEveryConnection = sync.OnceValue(func() error {
	if rc := C.parkdesk_enable_qpsg_on_every_connection(); rc != C.sqliteOK {
		return fmt.Errorf("store: SQLite: register the query-planner stability guarantee: error %d", int(rc))
	}
	return nil
})

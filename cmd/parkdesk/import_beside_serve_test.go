package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/bench"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// TestImportBesideServe runs 'parkdesk import' of 300,000 fact rows on a
// SQLite file while, through a database handle of its own as 'parkdesk
// serve' has, people sign in and facts are reported, without pause. Every
// sign-in and every report must succeed: the import holds the database's
// one writer for a chunk of rows at a time and for its last transaction,
// and the waits of the store outlast that (issue 11, point 5). The longest
// waits are logged; no duration is asserted.
func TestImportBesideServe(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 300,000 rows")
	}
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "park.db")
	entsPath, factsPath := filepath.Join(dir, "enterprises.csv"), filepath.Join(dir, "facts.csv")
	ents, err := os.Create(entsPath)
	if err != nil {
		t.Fatal(err)
	}
	factsFile, err := os.Create(factsPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := bench.WriteSyntheticCSV(ents, factsFile, 3000, 300_000); err != nil {
		t.Fatal(err)
	}
	ents.Close()
	factsFile.Close()

	// The server's handle.
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := facts.SeedDictionary(ctx, db); err != nil {
		t.Fatal(err)
	}
	svc := auth.NewService(db)
	svc.Hasher = auth.Hasher{Params: auth.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	const password = "violet sky over hangzhou"
	if _, err := svc.CreateUser(ctx, auth.System("test"), auth.UserSpec{Login: "zhang", Role: auth.RoleOfficer, Password: password}); err != nil {
		t.Fatal(err)
	}
	own := enterprise.Enterprise{USCC: enterprise.MakeUSCC("330108", 1), Name: "服务端企业"}
	if err := enterprise.Create(ctx, db, &own); err != nil {
		t.Fatal(err)
	}
	revenue, _ := facts.Builtin().Field("revenue")

	var (
		mu       sync.Mutex
		failures []error
		waits    = map[string][]time.Duration{}
	)
	record := func(kind string, start time.Time, err error) {
		mu.Lock()
		defer mu.Unlock()
		waits[kind] = append(waits[kind], time.Since(start))
		if err != nil {
			failures = append(failures, err)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	loop := func(kind string, do func(i int) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				start := time.Now()
				record(kind, start, do(i))
			}
		}()
	}
	loop("sign-in", func(int) error {
		_, _, err := svc.Login(ctx, auth.Credentials{Login: "zhang", Password: password}, "192.0.2.10")
		return err
	})
	loop("fact report", func(i int) error {
		v, err := revenue.ParseValue(strconv.Itoa(1000 + i))
		if err != nil {
			return err
		}
		return db.InTx(ctx, func(tx *store.Tx) error {
			_, err := facts.AppendFacts(ctx, tx, facts.Provenance{Source: "api", Actor: "tax-bureau"},
				slices.Values([]facts.Fact{{EnterpriseID: own.ID, Field: "revenue", Period: facts.Year(2023), Value: v}}))
			return err
		})
	})

	start := time.Now()
	out, errOut, err := runCLI(t, dbPath, "", "import", entsPath, factsPath)
	took := time.Since(start)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("import: %v\n%s%s", err, out, errOut)
	}
	for kind, ws := range waits {
		slices.Sort(ws)
		t.Logf("%d %ss during a %v import: median %v, longest %v", len(ws), kind, took.Round(time.Millisecond),
			ws[len(ws)/2].Round(time.Millisecond), ws[len(ws)-1].Round(time.Millisecond))
	}
	if len(failures) > 0 {
		t.Fatalf("%d sign-ins and fact reports failed beside the import; the first: %v", len(failures), failures[0])
	}
	if len(waits["sign-in"]) == 0 || len(waits["fact report"]) == 0 {
		t.Fatal("nothing was tried beside the import")
	}
	var n int
	if err := db.QueryRow(ctx, "SELECT count(*) FROM facts WHERE batch_id IS NOT NULL").Scan(&n); err != nil || n != 300_000 {
		t.Fatalf("%d imported facts (%v), want 300000", n, err)
	}
}

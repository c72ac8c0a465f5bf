//go:build linux || darwin

package exchange

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// TestImportLeavesTheWriterFree: while an import reads its files, another
// process writes to the same SQLite database without waiting for it: the
// import holds the one writer only for a chunk of staged rows at a time,
// and for its last transaction (issue 11, point 5). The import reads a
// named pipe that the test fills in two halves; between them the import
// is blocked on its input, half read, and the other process writes with a
// busy timeout of a tenth of a second. An import that held the writer from
// its start makes that write fail with ErrBusy.
func TestImportLeavesTheWriterFree(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "park.db")
	importer, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer importer.Close()
	if _, err := importer.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := facts.SeedDictionary(ctx, importer); err != nil {
		t.Fatal(err)
	}
	mustPark(t, importer)
	server, err := store.Open(ctx, path+"?_busy_timeout=100")
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()

	// JSON records, read in one pass (a CSV file is opened twice, to tell
	// its table first): 3,000 enterprises of 10 facts each, in two halves.
	const perHalf, years = 1500, 10
	fifo := filepath.Join(dir, "records.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan error, 1)
	var rep Report
	go func() {
		var err error
		rep, err = Import(ctx, importer, []File{PathFile(fifo)}, Options{Actor: "test"})
		done <- err
	}()
	pipe, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	write := func(from, to int) {
		t.Helper()
		for i := from; i < to; i++ {
			sep := ","
			if i == 0 {
				sep = "["
			}
			revenue := ""
			for y := range years {
				if y > 0 {
					revenue += ","
				}
				revenue += fmt.Sprintf(`"%d":%d`, 2010+y, 1000+i+y)
			}
			if _, err := fmt.Fprintf(pipe, "%s\n{\"uscc\":\"%s\",\"name\":\"企业%d\",\"facts\":{\"revenue\":{%s}}}", sep, testUSCC(i+1), i, revenue); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(0, perHalf)
	// The import has read most of the first half (the pipe holds 64 KB)
	// and staged it; it waits for more.
	time.Sleep(200 * time.Millisecond)
	for i := range 5 {
		err := server.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, "INSERT INTO departments (code, name_zh) VALUES (?, ?)", fmt.Sprintf("dept%d", i), "部门")
			return err
		})
		if err != nil {
			t.Fatalf("a write of another process while the import reads its input: %v", err)
		}
	}
	write(perHalf, 2*perHalf)
	fmt.Fprintln(pipe, "\n]")
	pipe.Close()
	if err := <-done; err != nil {
		t.Fatalf("import: %v", err)
	}
	if !rep.Written || rep.FactsWritten != 2*perHalf*years || rep.EnterprisesCreated != 2*perHalf {
		t.Fatalf("report %+v", rep)
	}
	var n int
	if err := server.QueryRow(ctx, "SELECT count(*) FROM facts").Scan(&n); err != nil || n != 2*perHalf*years {
		t.Fatalf("%d facts in the database (%v), want %d", n, err, 2*perHalf*years)
	}
	if err := server.QueryRow(ctx, "SELECT count(*) FROM import_run_sets").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d staged facts left (%v)", n, err)
	}
}

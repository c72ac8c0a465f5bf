package bench

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/exchange"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/heapwatch"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

var benchRows = flag.String("import.rows", "10000,100000", "fact rows of BenchmarkImportFacts's sub-benchmarks, comma-separated (1000000 for the million)")

// BenchmarkImportFacts imports a synthetic facts table (100 rows an
// enterprise) into a fresh database and reports the rate and the peak heap
// in use: the heap must stay flat as the rows grow tenfold.
//
//	go test ./internal/bench -run '^$' -bench ImportFacts -benchtime 1x -import.rows 1000000
func BenchmarkImportFacts(b *testing.B) {
	for _, text := range strings.Split(*benchRows, ",") {
		rows, err := strconv.Atoi(strings.TrimSpace(text))
		if err != nil || rows <= 0 {
			b.Fatalf("-import.rows: %q is not a positive number", text)
		}
		for _, d := range storetest.Dialects() {
			b.Run(fmt.Sprintf("%s/rows=%d", d, rows), func(b *testing.B) {
				dir := b.TempDir()
				ents, fs := filepath.Join(dir, "enterprises.csv"), filepath.Join(dir, "facts.csv")
				writeSynthetic(b, ents, fs, max(1, rows/100), rows)
				files := []exchange.File{exchange.PathFile(ents), exchange.PathFile(fs)}
				var peak uint64
				var elapsed time.Duration
				for range b.N {
					b.StopTimer()
					db := storetest.Open(b, d)
					if err := facts.SeedDictionary(context.Background(), db); err != nil {
						b.Fatal(err)
					}
					runtime.GC()
					watch := heapwatch.Start()
					start := time.Now()
					b.StartTimer()
					rep, err := exchange.Import(context.Background(), db, files, exchange.Options{Actor: "bench"})
					b.StopTimer()
					elapsed += time.Since(start)
					peak = max(peak, watch.Stop())
					if err != nil || rep.FactsWritten != rows {
						b.Fatalf("import: %+v, %v", rep, err)
					}
					closeDB(b, db)
				}
				b.ReportMetric(float64(rows)*float64(b.N)/elapsed.Seconds(), "rows/s")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			})
		}
	}
}

func writeSynthetic(b *testing.B, entPath, factPath string, enterprises, rows int) {
	b.Helper()
	ef, err := os.Create(entPath)
	if err != nil {
		b.Fatal(err)
	}
	defer ef.Close()
	ff, err := os.Create(factPath)
	if err != nil {
		b.Fatal(err)
	}
	defer ff.Close()
	if err := WriteSyntheticCSV(ef, ff, enterprises, rows); err != nil {
		b.Fatal(err)
	}
}

// closeDB closes a database early, so that a long benchmark does not hold
// every iteration's connections until it ends (storetest closes it again,
// harmlessly).
func closeDB(b *testing.B, db *store.DB) {
	b.Helper()
	db.Close()
}

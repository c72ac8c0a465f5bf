package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/parkdesk/parkdesk/internal/demo"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/heapwatch"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/match/vector"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
)

// OpenFiscaFive are the policies of the OpenFisca comparison of issue 4:
// numpy computes these five over a million enterprises in 0.17 s on two
// cores (about 29 million policy evaluations per second).
var OpenFiscaFive = []string{"small-low-profit-2023", "hnte", "tech-sme", "rd-super-deduction-2023", "job-retention-refund"}

// MatchOptions configure Match.
type MatchOptions struct {
	Enterprises int
	On          time.Time
	Seed        int64
	Chunk       int // enterprises per chunk (default 65,536)
	Workers     int // goroutines (default: one per core)
	// Sample is how many enterprises the straightforward approach
	// evaluates; its rate is extrapolated to the population.
	Sample int
	// Store runs the end-to-end measurement into a fresh database: a
	// schema of its own in DB when DB is a postgres:// URL, else a SQLite
	// file under Dir (default: the system's temporary directory).
	Store bool
	DB    string
	Dir   string
	// FromDB (with Store) also writes every enterprise's facts into the
	// database and measures what a real run does: the population read from
	// the database into columns, and `parkdesk match` end to end.
	FromDB bool
	// Incremental is how many incremental re-evaluations to time.
	Incremental int
	Log         io.Writer // progress lines; nil for none
}

// MatchReport holds the figures of a Match run.
type MatchReport struct {
	Enterprises, Policies, Nodes, Columns int
	PolicyIDs                             []string
	Compile                               time.Duration

	Build    time.Duration // population snapshot, from the generator
	Pass     time.Duration // the evaluation pass alone
	PassCPU  time.Duration // CPU time of the pass, all cores
	Store    time.Duration // explanations rendered and results written
	EndToEnd time.Duration // build + pass + store
	Evals    int64
	Exact    int64 // results settled on the exact path
	Engine   int64 // results the policy engine evaluated
	Status   map[policy.Status]int64
	NearMiss int64
	Kept     int64 // explanations kept: eligible, near-miss and undetermined results
	Written  int64
	DBBytes  int64
	Where    string // the database stored into

	// With FromDB: the facts written (LoadFresh), the population read back
	// into columns, and a batch run over the database (read, evaluate,
	// store), with the results it wrote.
	FactRows               int64
	FactLoad               time.Duration
	DBBuild                time.Duration
	RunWall                time.Duration
	RunResults, RunWritten int64
	Five                   int64         // evaluations of the OpenFisca five
	FivePass               time.Duration // their evaluation pass alone, in their own program
	FiveCPU                time.Duration // its CPU time, all cores
	Workers                int           // the goroutines the passes ran on
	FiveFound              int

	PeakHeapPass uint64 // the heap's peak during build and pass
	PeakRSSPass  uint64
	PeakHeap     uint64 // over the whole run
	PeakRSS      uint64

	Straight         time.Duration // the straightforward approach on the sample
	StraightEvals    int64
	StraightSample   int
	StraightMismatch int // results where it and the vector program disagree

	IncrementalP50, IncrementalP99 time.Duration
	IncrementalN                   int
	IncrementalCPU                 time.Duration // CPU time of one, on average
}

// Bench generates a population with the demo generator and measures, in
// one run: the evaluation pass of every policy in force, end to end with
// storage, the OpenFisca five alone, the straightforward approach (the
// policy engine, one CEL evaluation after another, over a map of facts per
// enterprise) on a sample, and incremental re-evaluation with its result
// stored.
func Match(ctx context.Context, set *vector.PolicySet, opts MatchOptions) (*MatchReport, error) {
	if opts.Chunk <= 0 {
		opts.Chunk = 1 << 16
	}
	if opts.Sample <= 0 {
		opts.Sample = 5000
	}
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, format+"\n", args...)
		}
	}
	rep := &MatchReport{Enterprises: opts.Enterprises, Status: map[policy.Status]int64{}}
	heap := heapwatch.Start()
	t0 := time.Now()
	m := match.NewMatcher(set)
	prog, err := m.Program(opts.On, "")
	if err != nil {
		return nil, err
	}
	var five *vector.Program
	fiveSet := set.Subset(OpenFiscaFive...)
	for _, p := range fiveSet.Policies {
		if p.InForce(opts.On) {
			rep.FiveFound++
		}
	}
	if rep.FiveFound > 0 {
		if five, err = vector.Compile(fiveSet, opts.On); err != nil {
			return nil, err
		}
	}
	rep.Compile = time.Since(t0)
	rep.Policies, rep.Nodes, rep.Columns = len(prog.Policies), prog.Nodes(), prog.Columns()
	for _, pl := range prog.Policies {
		rep.PolicyIDs = append(rep.PolicyIDs, pl.ID)
		if pl.Fallback != "" {
			logf("policy %s falls back to the policy engine: %s", pl.ID, pl.Fallback)
		}
	}
	g, err := demo.New(demo.Options{Seed: opts.Seed, Enterprises: opts.Enterprises, On: opts.On})
	if err != nil {
		return nil, err
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = defaultWorkers()
	}

	var db *store.DB
	m.Workers = workers
	rep.Workers = workers
	if opts.Store {
		var closeDB func()
		if db, rep.Where, closeDB, err = FreshDB(ctx, opts.DB, opts.Dir); err != nil {
			return nil, err
		}
		defer closeDB()
	}
	src := DemoRecords{G: g, Base: 1}
	var passCPU time.Duration
	for from := 0; from < opts.Enterprises; from += opts.Chunk {
		to := min(opts.Enterprises, from+opts.Chunk)
		tb := time.Now()
		pair := buildParallel(g, from, to, workers, prog, five)
		rep.Build += time.Since(tb)
		if db != nil {
			ts := time.Now()
			if err := insertRegistry(ctx, db, pair[0]); err != nil {
				return nil, err
			}
			if opts.FromDB {
				if err := loadFacts(ctx, db, g, from, to, rep); err != nil {
					return nil, err
				}
			} else {
				rep.Store += time.Since(ts)
			}
		}
		for _, c := range pair[0] {
			tp, cp := time.Now(), processCPU()
			ev, err := prog.Evaluate(c, src, workers)
			if err != nil {
				return nil, err
			}
			rep.Pass += time.Since(tp)
			passCPU += processCPU() - cp
			rep.Evals += int64(c.N * len(prog.Policies))
			rep.Exact += int64(ev.Pending)
			rep.Engine += int64(ev.Engine)
			for _, o := range ev.Policies {
				for r := 0; r < c.N; r++ {
					s := o.Summary(r)
					rep.Status[s.Status]++
					if s.NearMiss != "" {
						rep.NearMiss++
					}
					if s.Status != policy.Ineligible || s.NearMiss != "" {
						rep.Kept++
					}
				}
			}
			if db != nil && !opts.FromDB {
				ts := time.Now()
				s, err := m.StoreEvaluation(ctx, db, ev, c.ID[0], c.ID[c.N-1])
				if err != nil {
					return nil, err
				}
				rep.Written += int64(s.Written)
				rep.Store += time.Since(ts)
			}
			ev.Release()
		}
		for _, c := range pair[1] {
			tp, cp := time.Now(), processCPU()
			ev, err := five.Evaluate(c, src, workers)
			if err != nil {
				return nil, err
			}
			ev.Release()
			rep.FivePass += time.Since(tp)
			rep.FiveCPU += processCPU() - cp
			rep.Five += int64(c.N * len(five.Policies))
		}
		logf("%d/%d enterprises: build %s, pass %s, store %s", to, opts.Enterprises,
			rep.Build.Round(time.Millisecond), rep.Pass.Round(time.Millisecond), rep.Store.Round(time.Millisecond))
	}
	rep.PassCPU = passCPU
	rep.EndToEnd = rep.Build + rep.Pass + rep.Store
	rep.PeakHeapPass = heap.Peek()
	rep.PeakRSSPass, _ = heapwatch.PeakRSS()
	if db != nil {
		rep.DBBytes = dbBytes(ctx, db)
	}

	logf("the straightforward approach on %d enterprises …", min(opts.Sample, opts.Enterprises))
	if err := benchStraight(set, prog, g, min(opts.Sample, opts.Enterprises), workers, rep); err != nil {
		return nil, err
	}
	if db != nil && opts.FromDB {
		logf("the facts of %d enterprises into the database, then a run over it …", opts.Enterprises)
		if err := fromDB(ctx, db, m, prog, g, opts, rep); err != nil {
			return nil, err
		}
	}
	if db != nil && opts.Incremental > 0 {
		logf("incremental re-evaluation, %d times …", opts.Incremental)
		if err := benchIncremental(ctx, db, m, prog, g, opts, rep); err != nil {
			return nil, err
		}
	}
	rep.PeakHeap = heap.Stop()
	rep.PeakRSS, _ = heapwatch.PeakRSS()
	return rep, nil
}

// buildParallel builds the chunks of enterprises from … to-1 on workers
// goroutines, one slice each, for the program and (when not nil) for the
// second one from the same generated facts.
func buildParallel(g *demo.Generator, from, to, workers int, prog, second *vector.Program) [2][]*vector.Chunk {
	n := to - from
	parts := max(1, min(workers, n/1024+1))
	out := [2][]*vector.Chunk{make([]*vector.Chunk, parts), nil}
	if second != nil {
		out[1] = make([]*vector.Chunk, parts)
	}
	var wg sync.WaitGroup
	for i := range parts {
		lo, hi := from+n*i/parts, from+n*(i+1)/parts
		wg.Add(1)
		go func() {
			defer wg.Done()
			progs := []*vector.Program{prog}
			if second != nil {
				progs = append(progs, second)
			}
			cs := DemoChunks(g, lo, hi, 1, progs...)
			out[0][i] = cs[0]
			if second != nil {
				out[1][i] = cs[1]
			}
		}()
	}
	wg.Wait()
	return out
}

// insertRegistry writes the enterprises of the chunks to the registry,
// with ids index+1 and their USCC as their name: the bench stores results,
// which refer to enterprises, but not the facts (130 rows an enterprise).
func insertRegistry(ctx context.Context, db *store.DB, chunks []*vector.Chunk) error {
	now := store.FormatTime(time.Now())
	return db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.InsertRows(ctx, store.Insert{Table: "enterprises",
			Columns: []string{"id", "uscc", "name", "registered_on", "industry_code", "created_at", "updated_at"}},
			func(yield func([]any) bool) {
				for _, c := range chunks {
					for r := 0; r < c.N; r++ {
						var industry, registered any
						if code := c.Industry(r); code != "" {
							industry = code
						}
						if d := c.RegisteredOn(r); d != "" {
							registered = d
						}
						if !yield([]any{c.ID[r], c.USCC[r], "bench " + c.USCC[r], registered, industry, now, now}) {
							return
						}
					}
				}
			})
		return err
	})
}

// benchStraight times the policy engine over a map of facts per enterprise
// on workers goroutines, and counts the results where it and the vector
// program disagree. The records are built, untimed, 256 at a time, so
// that the sample's maps do not weigh on the peak memory.
func benchStraight(set *vector.PolicySet, prog *vector.Program, g *demo.Generator, n, workers int, rep *MatchReport) error {
	const batch = 256
	engines := make([]*policy.Evaluator, workers)
	for w := range engines {
		engines[w] = set.Library.NewEvaluator()
	}
	for from := 0; from < n; from += batch {
		to := min(n, from+batch)
		recs := make([]facts.Record, to-from)
		for i := range recs {
			recs[i] = g.Enterprise(from + i).Record
		}
		c := DemoChunk(prog, g, from, to)
		ev, err := prog.Evaluate(c, DemoRecords{G: g}, workers)
		if err != nil {
			return err
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := time.Now()
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mismatch := 0
				for i := w; i < len(recs); i += workers {
					for pi, pl := range prog.Policies {
						res := engines[w].Evaluate(pl.Policy, policy.FromRecord(&recs[i]), prog.On)
						if !sameSummary(ev.Policies[pi].Summary(i), &res) {
							mismatch++
						}
					}
				}
				mu.Lock()
				rep.StraightMismatch += mismatch
				mu.Unlock()
			}()
		}
		wg.Wait()
		rep.Straight += time.Since(start)
	}
	rep.StraightEvals = int64(n * len(prog.Policies))
	rep.StraightSample = n
	return nil
}

func sameSummary(s vector.Summary, r *policy.Result) bool {
	amount := ""
	if r.Amount != nil {
		amount = r.Amount.String()
	}
	missing := slices.Clone(r.Missing)
	slices.Sort(missing)
	near := ""
	if r.NearMiss != nil {
		near = r.NearMiss.Criterion
	}
	return s.Status == r.Status && s.Amount == amount && slices.Equal(s.Missing, missing) && s.NearMiss == near
}

// benchIncremental stores the facts of a slice of the population, then
// times Reevaluate after single fact changes: a new value of a field some
// policy reads, as an import brings.
func benchIncremental(ctx context.Context, db *store.DB, m *match.Matcher, prog *vector.Program, g *demo.Generator, opts MatchOptions, rep *MatchReport) error {
	n := min(opts.Enterprises, 2000)
	if opts.FromDB {
		n = 0 // every enterprise's facts are in the database already
	}
	err := db.InTx(ctx, func(tx *store.Tx) error {
		_, err := facts.AppendFacts(ctx, tx, facts.Provenance{Source: "bench", Actor: "bench"}, func(yield func(facts.Fact) bool) {
			for i := range n {
				var fb factBuffer
				g.EnterpriseFacts(i, fb.add)
				for _, f := range fb.facts {
					if !yield(facts.Fact{EnterpriseID: int64(i + 1), Field: f.Field, Period: f.Period, Value: f.Value}) {
						return
					}
				}
			}
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("bench: store facts: %w", err)
	}
	// The bulk load above leaves a large write-ahead log: fold it into
	// the database now, so that the timed re-evaluations do not pay for
	// its checkpoint.
	if db.Dialect() == store.SQLite {
		if _, err := db.Writer().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			return fmt.Errorf("bench: checkpoint: %w", err)
		}
	}
	// The fields the policies read, with a period each.
	type target struct {
		field *facts.Field
		per   facts.Period
	}
	var targets []target
	for _, col := range prog.Reads() {
		if col.Field.Type.Numeric() {
			targets = append(targets, target{col.Field, col.Period})
		}
	}
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 4))
	times := make([]time.Duration, 0, opts.Incremental)
	for range opts.Incremental {
		id := int64(1 + rng.IntN(max(n, min(opts.Enterprises, 2000))))
		t := targets[rng.IntN(len(targets))]
		v, err := t.field.ParseValue(strconv.Itoa(rng.IntN(5_000_000)))
		if err != nil {
			continue
		}
		if _, err := facts.AppendFacts(ctx, db, facts.Provenance{Source: "bench", Actor: "bench"}, func(yield func(facts.Fact) bool) {
			yield(facts.Fact{EnterpriseID: id, Field: t.field.Name, Period: t.per, Value: v})
		}); err != nil {
			return err
		}
		start, cpu := time.Now(), processCPU()
		if _, err := m.Reevaluate(ctx, db, opts.On, id, []string{t.field.Name}); err != nil {
			return err
		}
		times = append(times, time.Since(start))
		rep.IncrementalCPU += processCPU() - cpu
	}
	slices.Sort(times)
	if len(times) > 0 {
		rep.IncrementalN = len(times)
		rep.IncrementalCPU /= time.Duration(len(times))
		rep.IncrementalP50 = times[len(times)/2]
		rep.IncrementalP99 = times[min(len(times)-1, len(times)*99/100)]
	}
	return nil
}

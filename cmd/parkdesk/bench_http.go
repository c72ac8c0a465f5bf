package main

import (
	"context"
	cryptorand "crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/demo"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/web"
)

// benchHTTP measures the web app under load: the demo park (built afresh
// in a temporary SQLite file, or an existing one given with --park), served
// on a loopback port, and --clients concurrent signed-in clients asking
// for the dashboard, the enterprise list with a filter, enterprise pages
// and the portal. It prints p50, p99 and the rate of each. The target of
// the brief is p99 under 100 ms with 50 clients on 13,000 enterprises.
func benchHTTP(ctx context.Context, e env, cfg *config, args []string) error {
	fs := flag.NewFlagSet("parkdesk bench http", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.declareGlobal(fs)
	park := fs.String("park", "", "an existing SQLite demo park to measure (bench users are added to it); default: build one in a temporary directory")
	enterprises := fs.Int("enterprises", demo.DefaultEnterprises, "enterprises of the demo park built")
	clients := fs.Int("clients", 50, "concurrent clients")
	requests := fs.Int("requests", 2000, "requests per endpoint")
	on := fs.String("on", "2024-05-31", "the date the demo park is seen from and matched on")
	think := fs.Duration("think", 0, "each client's pause between requests (0: a closed loop, every client asks again at once)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the measured requests to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		return usagef("bench http takes no arguments")
	}
	if *clients <= 0 || *requests <= 0 {
		return usagef("--clients and --requests must be positive")
	}
	date, err := dateFlag("--on", *on)
	if err != nil {
		return err
	}
	path := *park
	if path == "" {
		dir, err := os.MkdirTemp("", "parkdesk-bench-http-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "park.db")
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	set, err := openPolicySet(cfg, "")
	if err != nil {
		return err
	}
	if err := benchPark(ctx, e, cfg, db, set, demo.Options{Seed: 1, Enterprises: *enterprises, On: date}); err != nil {
		return err
	}
	users, err := benchUsers(ctx, db, *clients)
	if err != nil {
		return err
	}

	// The web app as serve wires it, without the background work serving
	// also starts (the outbox, session purges): the figures are the pages'.
	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := web.New(web.Deps{DB: db, Store: db, Logger: logger, Auth: auth.NewService(db), Policies: set.Library, Matcher: match.NewMatcher(set)})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	server := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go server.Serve(ln)
	defer server.Close()
	base := "http://" + ln.Addr().String()

	var count, results int
	db.QueryRow(ctx, "SELECT COUNT(*) FROM enterprises").Scan(&count)
	db.QueryRow(ctx, "SELECT COUNT(*) FROM match_results").Scan(&results)
	fmt.Fprintf(e.stdout, "web: %d enterprises, %d stored results, SQLite; %d clients (think time %s), %d requests per endpoint, %d CPU(s)\n",
		count, results, *clients, *think, *requests, runtime.NumCPU())

	officers, err := signIn(base, users.officers)
	if err != nil {
		return err
	}
	liaisons, err := signIn(base, users.liaisons)
	if err != nil {
		return err
	}
	ids := users.enterprises
	endpoints := []struct {
		name    string
		clients []*http.Client
		path    func(r *rand.Rand) string
	}{
		{"dashboard", officers, func(*rand.Rand) string { return "/dashboard" }},
		{"enterprise list, filtered", officers, func(r *rand.Rand) string {
			q := listQueries[r.IntN(len(listQueries))]
			return "/enterprises?" + q
		}},
		{"enterprise page", officers, func(r *rand.Rand) string { return fmt.Sprintf("/enterprises/%d", ids[r.IntN(len(ids))]) }},
		{"portal", liaisons, func(*rand.Rand) string { return "/portal" }},
	}
	// Warm up: the first dashboard computes the park's aggregates, which
	// later requests share; every endpoint is asked once before timing.
	for _, ep := range endpoints {
		if _, err := get(ep.clients[0], base+ep.path(rand.New(rand.NewPCG(1, 1)))); err != nil {
			return fmt.Errorf("%s: %w", ep.name, err)
		}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	// cpu/req is the process's CPU time (server and the clients, which
	// run in the same process) over the requests: what a request costs,
	// whatever else the machine is doing, where p99 and req/s also tell
	// how long it waited for a core.
	fmt.Fprintf(e.stdout, "%-28s %8s %9s %9s %9s %8s %9s\n", "endpoint", "requests", "p50", "p99", "max", "req/s", "cpu/req")
	worst := time.Duration(0)
	for _, ep := range endpoints {
		cpu0, cpuOK := processCPU()
		lat, wall, err := load(ctx, base, ep.clients, *requests, *think, ep.path)
		if err != nil {
			return fmt.Errorf("%s: %w", ep.name, err)
		}
		cpu1, _ := processCPU()
		perReq := "–"
		if cpuOK {
			perReq = fmt.Sprintf("%.2fms", float64(((cpu1-cpu0)/time.Duration(len(lat))).Microseconds())/1000)
		}
		slices.Sort(lat)
		p50, p99 := quantile(lat, 0.50), quantile(lat, 0.99)
		worst = max(worst, p99)
		fmt.Fprintf(e.stdout, "%-28s %8d %9s %9s %9s %8.0f %9s\n", ep.name, len(lat), ms(p50), ms(p99), ms(lat[len(lat)-1]), float64(len(lat))/wall.Seconds(), perReq)
	}
	verdict := "met"
	if worst >= 100*time.Millisecond {
		verdict = "NOT met"
	}
	fmt.Fprintf(e.stdout, "worst p99: %s (target p99 < 100 ms: %s)\n", ms(worst), verdict)
	return nil
}

// listQueries are the filters the list is asked with: a name fragment, an
// industry, a park, a tag, sorted several ways.
var listQueries = []string{
	"q=" + url.QueryEscape("科技") + "&industry=C",
	"q=" + url.QueryEscape("软件") + "&sort=registered&dir=desc",
	"industry=I&park=1&sort=name",
	"tag=high-tech&sort=uscc",
	"q=91330108&page=3",
	"industry=M&tag=tech-sme&dir=desc",
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

// load sends n requests from len(clients) goroutines, each pausing think
// between its requests, and returns every latency and the wall time.
func load(ctx context.Context, base string, clients []*http.Client, n int, think time.Duration, path func(*rand.Rand) string) ([]time.Duration, time.Duration, error) {
	var (
		mu    sync.Mutex
		lat   = make([]time.Duration, 0, n)
		next  = make(chan struct{}, n)
		first error
		wg    sync.WaitGroup
	)
	for range n {
		next <- struct{}{}
	}
	close(next)
	start := time.Now()
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), 7))
			if think > 0 {
				// People do not all click in the same millisecond: each
				// client starts at a random moment of the first pause.
				time.Sleep(time.Duration(r.Int64N(int64(think) + 1)))
			}
			for range next {
				if ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				_, err := get(c, base+path(r))
				d := time.Since(t0)
				mu.Lock()
				if err != nil && first == nil {
					first = err
				}
				lat = append(lat, d)
				mu.Unlock()
				if think > 0 {
					// Uniform in [think/2, 3·think/2], so that the clients
					// do not move in step.
					time.Sleep(think/2 + time.Duration(r.Int64N(int64(think)+1)))
				}
			}
		}()
	}
	wg.Wait()
	return lat, time.Since(start), first
}

// get fetches a page and reads it whole; anything but 200 is an error.
func get(c *http.Client, u string) (int, error) {
	resp, err := c.Get(u)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return int(n), nil
}

// benchPark builds the demo park in an empty database and matches it; a
// database that holds a park is used as it is (matched if it has no
// results).
func benchPark(ctx context.Context, e env, cfg *config, db *store.DB, set *match.PolicySet, opts demo.Options) error {
	var count, results int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM enterprises").Scan(&count); err != nil {
		return err
	}
	if count == 0 {
		fmt.Fprintf(e.stdout, "building a demo park of %d enterprises …\n", opts.Enterprises)
		start := time.Now()
		if _, err := demo.Load(ctx, db, opts, nil); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "built in %s\n", time.Since(start).Round(time.Second))
	}
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM match_results").Scan(&results); err != nil {
		return err
	}
	if results > 0 {
		return nil
	}
	fmt.Fprintln(e.stdout, "matching it …")
	start := time.Now()
	s := &services{cfg: cfg, logger: slog.New(slog.DiscardHandler), db: db, policies: set, matcher: match.NewMatcher(set)}
	if err := s.startJobs(ctx, match.QueueName); err != nil {
		return err
	}
	defer s.stopJobs()
	if _, err := s.matcher.Run(ctx, db, match.RunOptions{On: opts.On, PartitionSize: 20000}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "matched in %s\n", time.Since(start).Round(time.Second))
	return nil
}

// benchLogins are the accounts the clients sign in with.
type benchLogins struct {
	officers, liaisons []auth.Credentials
	enterprises        []int64 // the enterprise pages asked for
}

// benchUsers adds an officer and n liaisons of n different enterprises,
// with a random password, and picks enterprises for the pages.
func benchUsers(ctx context.Context, db *store.DB, n int) (benchLogins, error) {
	svc := auth.NewService(db)
	password := "bench " + cryptorand.Text()
	stamp := time.Now().UTC().Format("20060102150405")
	var out benchLogins
	rows, err := db.Query(ctx, "SELECT id FROM enterprises ORDER BY id LIMIT ?", max(n, 500))
	if err != nil {
		return out, err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return out, err
		}
		out.enterprises = append(out.enterprises, id)
	}
	rows.Close()
	if len(out.enterprises) < n {
		return out, fmt.Errorf("the park has %d enterprises, fewer than the %d clients", len(out.enterprises), n)
	}
	login := "bench-officer-" + stamp
	if _, err := svc.CreateUser(ctx, auth.System("bench"), auth.UserSpec{Login: login, DisplayName: "Bench officer", Role: auth.RoleOfficer, Password: password}); err != nil {
		return out, err
	}
	// Each client signs in on its own: fifty officers' sessions.
	for range n {
		out.officers = append(out.officers, auth.Credentials{Login: login, Password: password})
	}
	for i := range n {
		login := fmt.Sprintf("bench-liaison-%s-%d", stamp, i)
		if _, err := svc.CreateUser(ctx, auth.System("bench"), auth.UserSpec{Login: login, DisplayName: "Bench liaison",
			Role: auth.RoleEnterprise, EnterpriseID: out.enterprises[i], Password: password}); err != nil {
			return out, err
		}
		out.liaisons = append(out.liaisons, auth.Credentials{Login: login, Password: password})
	}
	return out, nil
}

// signIn signs each login in through the sign-in form, as a browser does,
// and returns one client per session.
func signIn(base string, logins []auth.Credentials) ([]*http.Client, error) {
	var out []*http.Client
	for _, c := range logins {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar, Timeout: 30 * time.Second,
			Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		resp, err := client.Get(base + "/login")
		if err != nil {
			return nil, err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		token := between(string(body), `name="csrf_token" value="`, `"`)
		resp, err = client.PostForm(base+"/login", url.Values{"csrf_token": {token}, "login": {c.Login}, "password": {c.Password}})
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.Request.URL.Path == "/login" {
			return nil, fmt.Errorf("sign in as %s failed", c.Login)
		}
		out = append(out, client)
	}
	return out, nil
}

func between(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, end)
	return v
}

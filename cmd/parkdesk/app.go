package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/parkdesk/parkdesk/internal/appeal"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/jobs"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/outreach"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/tech"
	"github.com/parkdesk/parkdesk/internal/web"
)

// services are what the commands work with, wired in one place: the
// database, the policies, the matcher, the outbox when the command sends,
// and the process's one job client, built from the workers of them all.
type services struct {
	cfg      *config
	logger   *slog.Logger
	db       *store.DB
	policies *match.PolicySet
	matcher  *match.Matcher
	outbox   *outreach.Outbox // nil for commands that send nothing
	jobs     jobs.Client      // nil until startJobs
}

// openServices opens the database and the policies and makes the services;
// withOutbox checks the outreach configuration and makes the outbox, which
// a command that sends nothing does without (a bad mail server URL should
// not stop `parkdesk match`). Close it when done.
func openServices(ctx context.Context, cfg *config, logger *slog.Logger, withOutbox bool) (*services, error) {
	set, err := openPolicySet(cfg, "")
	if err != nil {
		return nil, err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	s := &services{cfg: cfg, logger: logger, db: db, policies: set, matcher: match.NewMatcher(set)}
	if withOutbox {
		if s.outbox, err = newOutbox(cfg, db, logger); err != nil {
			db.Close()
			return nil, err
		}
	}
	return s, nil
}

// startJobs builds the job client from the workers of the services, gives
// it to them, and starts it working the queues named (none: it only
// inserts).
func (s *services) startJobs(ctx context.Context, queues ...string) error {
	reg := jobs.NewRegistry()
	s.matcher.RegisterJobs(reg, s.db)
	if s.outbox != nil {
		s.outbox.RegisterJobs(reg)
	}
	client, err := jobs.New(ctx, s.db, reg, jobs.Options{Logger: s.logger, Work: queues})
	if err != nil {
		return err
	}
	// The client runs on a context of its own: stopJobs lets the jobs under
	// way finish instead of cutting them off when ctx is cancelled.
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		client.Stop(ctx)
		return fmt.Errorf("start the job queue: %w", err)
	}
	s.jobs = client
	s.matcher.Jobs = client
	if s.outbox != nil {
		s.outbox.Jobs = client
	}
	return nil
}

// jobsGrace is how long the jobs under way get to finish when the job
// client stops: longer than a delivery attempt may take.
const jobsGrace = 2 * time.Minute

// stopJobs stops the job client, letting the jobs under way finish.
func (s *services) stopJobs() {
	if s.jobs == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), jobsGrace)
	defer cancel()
	if err := s.jobs.Stop(ctx); err != nil {
		s.logger.Warn("stopping the job queue", "err", err)
	}
	s.jobs = nil
}

// close stops the job client and closes the database, in that order.
func (s *services) close() error {
	s.stopJobs()
	return s.db.Close()
}

// app is the long-running program of `parkdesk serve` and `parkdesk demo`:
// the services, the web server and the periodic work. run starts them under
// one errgroup and, when ctx ends or one of them fails, stops them in order
// (as WTF's Main.Run and Close do): the HTTP server first, letting requests
// under way finish, then the periodic work, then the job client, letting
// jobs under way finish; close then closes the database.
type app struct {
	*services
	web  *web.Server
	auth *auth.Service
	// buildEvery is how often benefit packages are built from new results.
	buildEvery time.Duration
}

// buildInterval is how often a serving instance builds packages from the
// results matching changed.
const buildInterval = 10 * time.Minute

// shutdownGrace is how long in-flight requests get to finish after SIGTERM.
const shutdownGrace = 10 * time.Second

func openApp(ctx context.Context, cfg *config, logger *slog.Logger) (*app, error) {
	s, err := openServices(ctx, cfg, logger, true)
	if err != nil {
		return nil, err
	}
	a := &app{services: s, auth: auth.NewService(s.db), buildEvery: buildInterval}
	a.web = web.New(web.Deps{DB: s.db, Store: s.db, Logger: logger, Auth: a.auth, Policies: s.policies.Library,
		Matcher: s.matcher, SecureCookies: cfg.SecureCookies, ClientIPHeader: cfg.ClientIPHeader, Outbox: s.outbox,
		PortalURL: strings.TrimSuffix(strings.TrimSpace(cfg.Outreach.PublicURL), "/")})
	return a, nil
}

// startJobs starts the job client working every queue of a serving
// instance: matching partitions (of runs any instance starts) and
// deliveries.
func (a *app) startJobs(ctx context.Context) error {
	if a.jobs != nil {
		return nil
	}
	return a.services.startJobs(ctx, append([]string{match.QueueName}, a.outbox.Queues()...)...)
}

// run serves on the configured address until ctx ends or a part fails, then
// stops everything in order. ready is called with the URL once the listener
// is open, so that port 0 works in tests.
func (a *app) run(ctx context.Context, ready func(url string)) error {
	if err := a.startJobs(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.cfg.Addr, err)
	}
	server := &http.Server{
		Handler:           requestLog(a.logger, a.web),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.logger.Handler(), slog.LevelWarn),
	}
	// The periodic work has a context of its own, cancelled only once the
	// HTTP server has stopped: a request under way may still kick the
	// outbox.
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := server.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve HTTP: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		if err := a.outbox.Run(workCtx); err != nil {
			return fmt.Errorf("the outbox: %w", err)
		}
		return nil
	})
	g.Go(func() error { a.buildPackages(workCtx); return nil })
	g.Go(func() error { a.auth.PurgeEvery(workCtx, time.Hour, a.logger); return nil })
	g.Go(func() error { a.sweepAppeals(workCtx); return nil })
	g.Go(func() error { a.auth.FlushRefusalsEvery(workCtx, time.Minute, a.logger); return nil })
	// The technology desk's segmentation dictionary loads in about a
	// second: load it beside serving rather than in the first request
	// that ranks. A failure leaves matching to fail on its own request.
	g.Go(func() error {
		if err := tech.Warm(); err != nil {
			a.logger.Error("technology matching is unavailable", "err", err)
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done() // the signal, or a part that failed
		a.logger.Info("shutting down", "grace", shutdownGrace)
		shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		err := server.Shutdown(shutdownCtx)
		stopWork()
		if err != nil {
			return fmt.Errorf("shut the HTTP server down: %w", err)
		}
		return nil
	})
	ready("http://" + ln.Addr().String() + "/")
	err = g.Wait()
	a.stopJobs()
	return err
}

// sweepAppeals runs the appeals' periodic work every minute: reminders and
// escalations whose time has come, deadlines recomputed when the calendar
// changed, visit problems taken up as appeals; the notices it queues go out
// with the outbox.
func (a *app) sweepAppeals(ctx context.Context) {
	svc := appeal.NewService(a.db)
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		if rep, err := svc.Sweep(ctx); err != nil && ctx.Err() == nil {
			a.logger.Error("sweeping appeals", "err", err)
		} else if rep != (appeal.SweepReport{}) {
			a.logger.Info("appeals swept", "reminded", rep.Reminded, "escalated", rep.Escalated, "recomputed", rep.Recomputed, "taken_up", rep.TakenUp)
			a.outbox.Kick()
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// buildPackages builds benefit packages from new results at start and then
// every buildEvery, in the background way that leaves the database's writer
// to requests between spans; packages of auto-send policies go out at once.
func (a *app) buildPackages(ctx context.Context) {
	svc := &outreach.Service{DB: a.db, Policies: a.policies.Library}
	tick := time.NewTicker(a.buildEvery)
	defer tick.Stop()
	for {
		if r, err := svc.BuildInBackground(ctx, auth.System("serve")); err != nil && ctx.Err() == nil {
			a.logger.Error("building benefit packages", "err", err)
		} else if r.AutoApproved > 0 {
			a.outbox.Kick()
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// requestLog logs each request at info level once answered: method, path
// (never the query, which may carry a reset token), status, bytes and
// duration; failures (5xx) at warn.
func requestLog(logger *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelWarn
		}
		logger.LogAttrs(r.Context(), level, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Int64("bytes", rec.bytes), slog.Duration("took", time.Since(start)))
	})
}

// statusRecorder remembers what a handler answered.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the writer's own methods
// (flushing, deadlines).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

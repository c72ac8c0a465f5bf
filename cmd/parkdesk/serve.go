package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/tech"
	"github.com/parkdesk/parkdesk/internal/web"
)

func serveCommand() command {
	return command{
		name:    "serve",
		summary: "Serve the web app and the JSON API until SIGTERM or Ctrl-C, then shut down gracefully.",
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			cfg.declareAddr(fs)
			cfg.declareProxy(fs)
			return func(ctx context.Context, e env, args []string) error {
				if len(args) > 0 {
					return usagef("serve takes no arguments")
				}
				db, err := openDB(ctx, cfg)
				if err != nil {
					return err
				}
				defer db.Close()
				logger := slog.New(slog.NewTextHandler(e.stderr, nil))
				srv, err := newWebServer(ctx, cfg, db, logger)
				if err != nil {
					return err
				}
				return listenAndServe(ctx, e, cfg.Addr, srv, logger, func(url string) {
					fmt.Fprintf(e.stdout, "parkdesk is serving on %s\n", url)
				})
			}
		},
	}
}

// newWebServer wires the web app and the background work that serving
// needs; serve and demo share it.
func newWebServer(ctx context.Context, cfg *config, db *store.DB, logger *slog.Logger) (*web.Server, error) {
	authn := auth.NewService(db)
	go authn.PurgeEvery(ctx, time.Hour, logger)
	// The pages show the policies matching runs (./policies when present,
	// else the library built in), and re-evaluate an enterprise when its
	// facts are reported through the API or the portal.
	set, err := openPolicySet("")
	if err != nil {
		return nil, err
	}
	// Benefit packages are built and sent while serving (outbox.go).
	outbox, err := newOutbox(cfg, db, logger)
	if err != nil {
		return nil, err
	}
	runOutreach(ctx, db, set.Library, outbox, logger)
	// The technology desk's segmentation dictionary loads in about a
	// second: load it now, beside serving, rather than in the first
	// request that ranks.
	go func() {
		if err := tech.Warm(); err != nil {
			logger.Error("technology matching is unavailable", "err", err)
		}
	}()
	return web.New(web.Deps{DB: db, Store: db, Logger: logger, Auth: authn, Policies: set.Library, Matcher: match.NewMatcher(set),
		SecureCookies: cfg.SecureCookies, ClientIPHeader: cfg.ClientIPHeader, Outbox: outbox,
		PortalURL: strings.TrimSuffix(strings.TrimSpace(cfg.Outreach.PublicURL), "/")}), nil
}

// shutdownGrace is how long in-flight requests get to finish after SIGTERM.
const shutdownGrace = 10 * time.Second

// listenAndServe serves h on addr until ctx is done, then stops accepting
// and waits for in-flight requests. ready is called with the URL once the
// listener is open, so that port 0 works in tests.
func listenAndServe(ctx context.Context, _ env, addr string, h http.Handler, logger *slog.Logger, ready func(url string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	server := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ready("http://" + ln.Addr().String() + "/")
	served := make(chan error, 1)
	go func() { served <- server.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "grace", shutdownGrace)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

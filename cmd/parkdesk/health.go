package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// healthCommand is a container's health check without a shell or curl (the
// image is distroless): it asks a serving instance's /readyz.
func healthCommand() command {
	return command{
		name:  "health",
		usage: "[--url URL]",
		summary: "Ask a serving instance whether it is ready (its /readyz: the process is up and the database\n" +
			"answers); exit 0 when it is, 1 when not. For health checks where no curl is at hand.",
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			cfg.declareAddr(fs)
			url := fs.String("url", "", "the URL to ask (default: http://ADDR/readyz of --addr)")
			return func(ctx context.Context, e env, args []string) error {
				if len(args) > 0 {
					return usagef("health takes no arguments")
				}
				target := *url
				if target == "" {
					host := cfg.Addr
					if strings.HasPrefix(host, "0.0.0.0:") || strings.HasPrefix(host, ":") {
						host = "127.0.0.1:" + host[strings.LastIndex(host, ":")+1:]
					}
					target = "http://" + host + "/readyz"
				}
				ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
				defer cancel()
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
				if err != nil {
					return usagef("--url %q: %v", target, err)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					fmt.Fprintf(e.stdout, "not ready: %v\n", err)
					return errSilentFailure
				}
				defer resp.Body.Close()
				body, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
				if resp.StatusCode != http.StatusOK {
					fmt.Fprintf(e.stdout, "not ready: %s %s\n", resp.Status, strings.TrimSpace(string(body)))
					return errSilentFailure
				}
				fmt.Fprintf(e.stdout, "ready: %s\n", strings.TrimSpace(string(body)))
				return nil
			}
		},
	}
}

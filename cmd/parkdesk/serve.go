package main

import (
	"context"
	"flag"
	"fmt"
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
				a, err := openApp(ctx, cfg, cfg.newLogger(e.stderr))
				if err != nil {
					return err
				}
				defer a.close()
				return a.run(ctx, func(url string) {
					fmt.Fprintf(e.stdout, "parkdesk is serving on %s\n", url)
				})
			}
		},
	}
}

// Command parkdesk is the one binary of the park's enterprise service
// platform: the web server, the demo, imports and exports, the policy tools
// and the batch jobs. main stays tiny so that tests can call run with their
// own arguments, environment and output, as the real program does.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// errSilentFailure is returned by commands that have already reported their
// failure (a policy test run with failing cases, an import's row report) and
// only need a non-zero exit.
var errSilentFailure = errors.New("failed")

func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errSilentFailure):
		return 1
	case errors.Is(err, errUsage):
		if err != errUsage {
			fmt.Fprintln(stderr, "parkdesk:", err)
		}
		return 2
	}
	if apperr.CodeOf(err) == apperr.Internal {
		fmt.Fprintln(stderr, "parkdesk:", err)
	} else {
		fmt.Fprintln(stderr, "parkdesk:", err.Error())
	}
	return 1
}

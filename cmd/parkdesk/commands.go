package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/parkdesk/parkdesk/internal/enterprise"
)

// env is what a command may use of the outside world. Commands take it
// instead of reaching for os, so that tests run them in-process.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand. setup declares its flags on fs (the global ones
// are declared already) and returns the function that runs it with the
// validated configuration and the remaining arguments.
type command struct {
	name    string
	usage   string // arguments after the flags, e.g. "[--dry-run] FILE..."
	summary string
	setup   func(fs *flag.FlagSet, cfg *config) func(ctx context.Context, e env, args []string) error
}

// commands lists every subcommand in the order --help shows them.
func commands() []command {
	return []command{
		demoCommand(),
		serveCommand(),
		healthCommand(),
		migrateCommand(),
		backupCommand(),
		configCommand(),
		userCommand(),
		tokenCommand(),
		codesCommand(enterprise.KindPark),
		codesCommand(enterprise.KindDepartment),
		codesCommand(enterprise.KindTag),
		fieldCommand(),
		policyCommand(),
		importCommand(),
		exportCommand(),
		matchCommand(),
		pushCommand(),
		scheduleCommand(),
		workdayCommand(),
		techCommand(),
		projectCommand(),
		reportCommand(),
		benchCommand(),
	}
}

var errUsage = errors.New("usage")

// usagef reports wrong arguments: exit code 2 and the message.
func usagef(format string, args ...any) error {
	return fmt.Errorf("%s (see --help): %w", fmt.Sprintf(format, args...), errUsage)
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	cmds := commands()
	global := flag.NewFlagSet("parkdesk", flag.ContinueOnError)
	global.SetOutput(stderr)
	cfg := defaultConfig(getenv)
	cfg.declareGlobal(global)
	global.Usage = func() { printUsage(stderr, global, cmds) }
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	rest := global.Args()
	if len(rest) == 0 || rest[0] == "help" {
		if len(rest) > 1 {
			rest = []string{rest[1], "--help"}
		} else {
			printUsage(stdout, global, cmds)
			return nil
		}
	}
	for _, c := range cmds {
		if c.name != rest[0] {
			continue
		}
		fs := flag.NewFlagSet("parkdesk "+c.name, flag.ContinueOnError)
		fs.SetOutput(stderr)
		// Global flags are accepted after the command name too, as people type them.
		cfg.declareGlobal(fs)
		runCmd := c.setup(fs, &cfg)
		fs.Usage = func() {
			fmt.Fprintf(fs.Output(), "usage: parkdesk %s [flags] %s\n\n%s\n\nflags:\n", c.name, c.usage, c.summary)
			fs.PrintDefaults()
		}
		if err := fs.Parse(rest[1:]); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return errUsage
		}
		if err := cfg.validate(); err != nil {
			return err
		}
		return runCmd(ctx, e, fs.Args())
	}
	fmt.Fprintf(stderr, "parkdesk: unknown command %q\n\n", rest[0])
	printUsage(stderr, global, cmds)
	return errUsage
}

func printUsage(w io.Writer, global *flag.FlagSet, cmds []command) {
	fmt.Fprintln(w, "parkdesk — the one-stop enterprise service platform of a high-tech park")
	fmt.Fprintln(w, "\nusage: parkdesk [global flags] COMMAND [flags] [arguments]")
	fmt.Fprintln(w, "\ncommands:")
	width := 0
	for _, c := range cmds {
		width = max(width, len(c.name))
	}
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, firstSentence(c.summary))
	}
	fmt.Fprintln(w, "\nglobal flags (also accepted after the command):")
	global.SetOutput(w)
	global.PrintDefaults()
	fmt.Fprintln(w, "\nRun 'parkdesk COMMAND --help' for a command's own flags.")
}

// firstSentence is a summary's first sentence, which may wrap over lines.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

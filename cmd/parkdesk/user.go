package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/store"
)

// userCommand: parkdesk user add|list|disable|enable|reset. The operator
// of the server is the admin of last resort: the first admin is created
// here, and a locked-out admin gets a reset link here.
func userCommand() command {
	return command{
		name:  "user",
		usage: "add|list|disable|enable|reset [flags] [LOGIN]",
		summary: `Manage accounts from the server's shell.
  user add --login L --role R [--name N] [--department CODE] [--enterprise USCC|ID] [--park CODE] [--password-stdin]
      without --password-stdin prints a one-time invitation link (valid 7 days)
  user list [--json]
  user disable LOGIN / user enable LOGIN
  user reset LOGIN        prints a one-time password reset link (valid 1 hour)
Roles: admin, officer, department, commissioner, enterprise, leader.`,
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			return func(ctx context.Context, e env, args []string) error {
				if len(args) == 0 {
					return usagef("user needs a subcommand: add, list, disable, enable or reset")
				}
				sub, rest := args[0], args[1:]
				switch sub {
				case "add":
					return userAdd(ctx, e, cfg, rest)
				case "list":
					return userList(ctx, e, cfg, rest)
				case "disable", "enable":
					return userSetDisabled(ctx, e, cfg, rest, sub == "disable")
				case "reset":
					return userReset(ctx, e, cfg, rest)
				}
				return usagef("unknown user subcommand %q: use add, list, disable, enable or reset", sub)
			}
		},
	}
}

// accountFlags is the flag set of a user or token subcommand.
func accountFlags(e env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("parkdesk "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// parseAccountFlags parses flags before and after the positional
// arguments ("reset zhang --base-url …" as well as "reset --base-url … zhang")
// and leaves the positional ones in fs.Args() order in the result.
func parseAccountFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelpShown
			}
			return nil, errUsage
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// errHelpShown ends a subcommand whose --help was asked for: the flags are
// printed, nothing else is done.
var errHelpShown = fmt.Errorf("help shown: %w", errSilentFailure)

// baseURLFlag declares --base-url, the address people open the app at,
// for the links the commands print.
func baseURLFlag(fs *flag.FlagSet, cfg *config) *string {
	return fs.String("base-url", "http://"+cfg.Addr, "the URL people open parkdesk at, for the printed links")
}

func userAdd(ctx context.Context, e env, cfg *config, args []string) error {
	fs := accountFlags(e, "user add")
	login := fs.String("login", "", "login: an e-mail address or a name (required)")
	name := fs.String("name", "", "display name (default: the login)")
	role := fs.String("role", "", "admin, officer, department, commissioner, enterprise or leader (required)")
	dept := fs.String("department", "", "department code, for department users (e.g. tax)")
	ent := fs.String("enterprise", "", "USCC or id of the enterprise, for enterprise liaisons")
	park := fs.String("park", "", "park code, to limit the user to one park")
	passwordStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin instead of printing an invitation link")
	baseURL := baseURLFlag(fs, cfg)
	if rest, err := parseAccountFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("user add takes flags only, not %q", rest[0])
	}
	if *login == "" || *role == "" {
		return usagef("user add needs --login and --role")
	}
	r, err := auth.ParseRole(*role)
	if err != nil {
		return usagef("%v", err)
	}
	spec := auth.UserSpec{Login: *login, DisplayName: *name, Role: r, Department: *dept}
	if *passwordStdin {
		if spec.Password, err = readPassword(e.stdin); err != nil {
			return err
		}
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if spec.EnterpriseID, err = enterpriseRef(ctx, db, *ent); err != nil {
		return err
	}
	if *park != "" {
		p, err := enterprise.GetPark(ctx, db, *park)
		if err != nil {
			return err
		}
		spec.ParkID = p.ID
	}
	svc := auth.NewService(db)
	actor := auth.System("user add")
	u, err := svc.CreateUser(ctx, actor, spec)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created %s user %s (id %d)\n", u.Role, u.Login, u.ID)
	if u.HasPassword {
		return nil
	}
	token, expires, err := svc.IssueLink(ctx, actor, u.ID, auth.Invite)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "invitation link, valid until %s (send it to %s; it works once):\n%s\n",
		expires.Local().Format("2006-01-02 15:04"), u.Login, linkURL(*baseURL, token))
	return nil
}

// readPassword reads the first line of r, without its line ending.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", apperr.Errorf(apperr.Invalid, "--password-stdin: stdin holds no password")
	}
	return line, nil
}

// enterpriseRef resolves --enterprise: an id or a USCC.
func enterpriseRef(ctx context.Context, db *store.DB, ref string) (int64, error) {
	if ref == "" {
		return 0, nil
	}
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil && len(ref) < 18 {
		if _, err := enterprise.Get(ctx, db, id); err != nil {
			return 0, err
		}
		return id, nil
	}
	ent, err := enterprise.GetByUSCC(ctx, db, strings.ToUpper(strings.TrimSpace(ref)))
	if err != nil {
		return 0, err
	}
	return ent.ID, nil
}

func linkURL(base, token string) string {
	return strings.TrimRight(base, "/") + "/account/reset?token=" + url.QueryEscape(token)
}

func userList(ctx context.Context, e env, cfg *config, args []string) error {
	fs := accountFlags(e, "user list")
	asJSON := fs.Bool("json", false, "print JSON")
	if rest, err := parseAccountFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := auth.NewService(db).ListUsers(ctx, auth.System("user list"))
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, nonNil(users))
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLOGIN\tROLE\tSCOPE\tSTATE\tNAME")
	for _, u := range users {
		var scope []string
		if u.Department != "" {
			scope = append(scope, "department "+u.Department)
		}
		if u.EnterpriseID != 0 {
			scope = append(scope, fmt.Sprintf("enterprise %d", u.EnterpriseID))
		}
		if u.ParkID != 0 {
			scope = append(scope, fmt.Sprintf("park %d", u.ParkID))
		}
		state := "active"
		switch {
		case u.Disabled:
			state = "disabled"
		case !u.HasPassword:
			state = "invited"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Login, u.Role, strings.Join(scope, ", "), state, u.DisplayName)
	}
	return tw.Flush()
}

// oneLogin parses the arguments of a subcommand that takes one LOGIN.
func oneLogin(fs *flag.FlagSet, args []string, name string) (string, error) {
	rest, err := parseAccountFlags(fs, args)
	if err != nil {
		return "", err
	}
	if len(rest) != 1 {
		return "", usagef("%s takes one LOGIN", name)
	}
	return rest[0], nil
}

func userSetDisabled(ctx context.Context, e env, cfg *config, args []string, disabled bool) error {
	verb := "enable"
	if disabled {
		verb = "disable"
	}
	login, err := oneLogin(accountFlags(e, "user "+verb), args, "user "+verb)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := auth.NewService(db)
	u, err := svc.UserByLogin(ctx, login)
	if err != nil {
		return err
	}
	if err := svc.SetUserDisabled(ctx, auth.System("user "+verb), u.ID, disabled); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%sd %s\n", verb, u.Login)
	return nil
}

func userReset(ctx context.Context, e env, cfg *config, args []string) error {
	fs := accountFlags(e, "user reset")
	baseURL := baseURLFlag(fs, cfg)
	login, err := oneLogin(fs, args, "user reset")
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := auth.NewService(db)
	u, err := svc.UserByLogin(ctx, login)
	if err != nil {
		return err
	}
	token, expires, err := svc.IssueLink(ctx, auth.System("user reset"), u.ID, auth.Reset)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "password reset link for %s, valid until %s (it works once; earlier links stop working):\n%s\n",
		u.Login, expires.Local().Format("2006-01-02 15:04"), linkURL(*baseURL, token))
	return nil
}

// tokenCommand: parkdesk token create|list|revoke, API tokens for the
// systems that push data into /api/v1.
func tokenCommand() command {
	return command{
		name:  "token",
		usage: "create|list|revoke [flags] [ID]",
		summary: `Manage API tokens for /api/v1 from the server's shell.
  token create --name N --role officer|department|leader [--department CODE] [--park CODE] [--days 90]
      prints the token once: only its hash is kept
  token list [--json]
  token revoke ID`,
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			return func(ctx context.Context, e env, args []string) error {
				if len(args) == 0 {
					return usagef("token needs a subcommand: create, list or revoke")
				}
				switch args[0] {
				case "create":
					return tokenCreate(ctx, e, cfg, args[1:])
				case "list":
					return tokenList(ctx, e, cfg, args[1:])
				case "revoke":
					return tokenRevoke(ctx, e, cfg, args[1:])
				}
				return usagef("unknown token subcommand %q: use create, list or revoke", args[0])
			}
		},
	}
}

func tokenCreate(ctx context.Context, e env, cfg *config, args []string) error {
	fs := accountFlags(e, "token create")
	name := fs.String("name", "", "what the token is for, e.g. tax-bureau-sync (required)")
	role := fs.String("role", "", "officer, department or leader (required)")
	dept := fs.String("department", "", "department code, for a department token")
	park := fs.String("park", "", "park code, to limit the token to one park")
	days := fs.Int("days", 90, "days until the token expires (at most 366)")
	if rest, err := parseAccountFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	if *name == "" || *role == "" {
		return usagef("token create needs --name and --role")
	}
	if *days < 1 {
		return usagef("--days must be at least 1")
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	spec := auth.APITokenSpec{Name: *name, Role: auth.Role(*role), Department: *dept, ExpiresIn: time.Duration(*days) * 24 * time.Hour}
	if *park != "" {
		p, err := enterprise.GetPark(ctx, db, *park)
		if err != nil {
			return err
		}
		spec.ParkID = p.ID
	}
	token, t, err := auth.NewService(db).CreateAPIToken(ctx, auth.System("token create"), spec)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "API token %d (%s, %s), valid until %s. It is shown this once; keep it secret:\n",
		t.ID, t.Name, t.Role, t.ExpiresAt.Local().Format("2006-01-02 15:04"))
	fmt.Fprintln(e.stdout, token)
	return nil
}

func tokenList(ctx context.Context, e env, cfg *config, args []string) error {
	fs := accountFlags(e, "token list")
	asJSON := fs.Bool("json", false, "print JSON")
	if rest, err := parseAccountFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	tokens, err := auth.NewService(db).ListAPITokens(ctx, auth.System("token list"))
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, nonNil(tokens))
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPREFIX\tNAME\tROLE\tDEPARTMENT\tEXPIRES\tLAST USED\tSTATE")
	now := time.Now()
	for _, t := range tokens {
		state := "active"
		switch {
		case !t.RevokedAt.IsZero():
			state = "revoked"
		case !now.Before(t.ExpiresAt):
			state = "expired"
		}
		lastUsed := "never"
		if !t.LastUsedAt.IsZero() {
			lastUsed = t.LastUsedAt.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%d\t%s…\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Prefix, t.Name, t.Role, t.Department,
			t.ExpiresAt.Local().Format("2006-01-02"), lastUsed, state)
	}
	return tw.Flush()
}

func tokenRevoke(ctx context.Context, e env, cfg *config, args []string) error {
	rest, err := parseAccountFlags(accountFlags(e, "token revoke"), args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("token revoke takes one token ID (see token list)")
	}
	id, err := strconv.ParseInt(rest[0], 10, 64)
	if err != nil {
		return usagef("token revoke: %q is not a token ID", rest[0])
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := auth.NewService(db).RevokeAPIToken(ctx, auth.System("token revoke"), id); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "revoked API token %d\n", id)
	return nil
}

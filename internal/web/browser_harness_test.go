package web

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser harness: one headless Chromium for the whole package, a
// fresh browser context (its own cookies and storage) per test, and
// helpers that never hold on to a DOM node across a page change.
//
// Why the helpers act through JavaScript: chromedp finds a node, keeps its
// id, and then scrolls to it, clicks it or types into it in later calls.
// When the document changes in between (a navigation that was still
// settling, a redirect, chromedp refreshing its copy of the DOM after a
// late documentUpdated event), the id is gone and the step fails with
// "No node with given id found (-32000)" — which CI saw in the sign-in
// journey. A query and its action inside one Runtime.evaluate happen in
// one turn of the page's event loop, so the node cannot change between
// them; each helper first waits, by asking again and again, for the page
// to be loaded and the element to be there and visible.

// chromiumPath finds the browser: PARKDESK_CHROMIUM, else Debian's
// chromium (which scripts/test installs) or another Chromium on the PATH.
func chromiumPath() string {
	if p := os.Getenv("PARKDESK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser is the package's one Chromium, started by the first test that
// asks for it and stopped by TestMain.
var chromium struct {
	once   sync.Once
	ctx    context.Context // the browser's first tab; parent of every test's context
	cancel func()
	dir    string
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if chromium.cancel != nil {
		chromium.cancel()
	}
	if chromium.dir != "" {
		os.RemoveAll(chromium.dir)
	}
	os.Exit(code)
}

func startBrowser(path string) {
	chromium.dir, chromium.err = os.MkdirTemp("", "parkdesk-chromium-")
	if chromium.err != nil {
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(chromium.dir),
		chromedp.WindowSize(1366, 900),
		chromedp.Flag("lang", "en-US"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	chromium.ctx = ctx
	chromium.cancel = func() { cancel(); cancelAlloc() }
	if err := chromedp.Do(ctx); err != nil { // start the browser now
		chromium.err = fmt.Errorf("start %s: %w", path, err)
	}
}

// startChromium returns a tab of the package's browser in a browser
// context of its own, so that a test starts signed out, with no language
// cookie, whatever the tests before it did. The tab closes with the test.
func startChromium(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Skip("no Chromium on this machine (scripts/test installs Debian's chromium; or set PARKDESK_CHROMIUM): browser journeys skipped")
	}
	chromium.once.Do(func() { startBrowser(path) })
	if chromium.err != nil {
		t.Fatal(chromium.err)
	}
	ctx, cancel := chromedp.NewContext(chromium.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900)); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return ctx
}

// journey runs one journey's steps with a deadline, so that a page that
// never shows fails the test instead of hanging it.
func journey(t *testing.T, ctx context.Context, steps func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 120*time.Second)
	defer cancel()
	if err := steps(ctx); err != nil {
		t.Fatal(err)
	}
}

// waitFor evaluates a JavaScript condition until it holds. It asks again
// on every turn, so that a page navigating meanwhile (a form posted, a
// link followed) is simply asked again once loaded.
func waitFor(ctx context.Context, condition string) error {
	ctx, cancel := context.WithTimeout(ctx, 40*time.Second)
	defer cancel()
	var last error
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("Boolean("+condition+")"))
		if err == nil && ok {
			return nil
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w (last error: %v)", condition, ctx.Err(), last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// js quotes s as a JavaScript string literal.
func js(s string) string { return strconv.Quote(s) }

// shown is a JavaScript condition: the page is loaded and the element sel
// is there and takes room (the test chromedp's NodeVisible makes).
func shown(sel string) string {
	return `document.readyState === "complete" && (function (e) { return !!(e && (e.offsetWidth || e.offsetHeight || e.getClientRects().length)); })(document.querySelector(` + js(sel) + `))`
}

// act waits for sel to be shown, then runs body with the element as e, in
// one evaluation. A page that changed between the wait and the evaluation
// (e is null) is waited for again.
func act(ctx context.Context, sel, body string) error {
	for {
		if err := waitFor(ctx, shown(sel)); err != nil {
			return err
		}
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function (e) { if (!e) return false; `+body+`; return true; })(document.querySelector(`+js(sel)+`))`))
		if err != nil && !pageGone(err) {
			return fmt.Errorf("%s: %w", sel, err)
		}
		if done {
			return nil
		}
	}
}

// pageGone reports the errors of an evaluation cut short by a page going
// away: worth another try on the next page.
func pageGone(err error) bool {
	var ex *chromedp.ExceptionError
	if errors.As(err, &ex) {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "Execution context was destroyed") || strings.Contains(msg, "Cannot find context with specified id") ||
		strings.Contains(msg, "No node with given id") || strings.Contains(msg, "Inspected target navigated or closed")
}

// visit loads url and waits for the page to have loaded.
func visit(ctx context.Context, url string) error {
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return err
	}
	return waitFor(ctx, `document.readyState === "complete"`)
}

// visitShown loads url and waits for sel to show.
func visitShown(ctx context.Context, url, sel string) error {
	if err := visit(ctx, url); err != nil {
		return err
	}
	return waitFor(ctx, shown(sel))
}

// click clicks the element sel as a person does: a link is followed, a
// submit button submits its form (with its own name and value), a
// summary opens its details, htmx sees the click.
func click(ctx context.Context, sel string) error {
	return act(ctx, sel, `e.click()`)
}

// fill sets a field's value and tells the page so (input and change
// events), for text inputs, text areas, selects and dates alike.
func fill(ctx context.Context, sel, value string) error {
	return act(ctx, sel, `e.value = `+js(value)+`; e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true}))`)
}

// typeText focuses the field sel and types value key by key, for pages
// that react to keystrokes (htmx's keyup triggers).
func typeText(ctx context.Context, sel, value string) error {
	if err := act(ctx, sel, `e.focus()`); err != nil {
		return err
	}
	return chromedp.Do(ctx, chromedp.KeyEvent(value))
}

// upload chooses files in the file input sel. chromedp needs the node for
// this, so a node that went away is looked for again.
func upload(ctx context.Context, sel string, files []string) error {
	for {
		if err := waitFor(ctx, shown(sel)); err != nil {
			return err
		}
		err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(sel), files))
		if err == nil || !pageGone(err) {
			return err
		}
	}
}

// text is the rendered text (innerText) of the element sel, once shown.
func text(ctx context.Context, sel string) (string, error) {
	for {
		if err := waitFor(ctx, shown(sel)); err != nil {
			return "", err
		}
		s, err := chromedp.Run(ctx, chromedp.Evaluate[*string](`(function (e) { return e ? e.innerText : null; })(document.querySelector(`+js(sel)+`))`))
		if err != nil && !pageGone(err) {
			return "", fmt.Errorf("%s: %w", sel, err)
		}
		if err == nil && s != nil {
			return strings.TrimSpace(*s), nil
		}
	}
}

// A step is one thing a person does on a page; doSteps does them in
// order, for journeys that read as a list.
type step func(ctx context.Context) error

func doSteps(ctx context.Context, steps ...step) error {
	for _, s := range steps {
		if err := s(ctx); err != nil {
			return err
		}
	}
	return nil
}

func visited(url, sel string) step {
	return func(ctx context.Context) error { return visitShown(ctx, url, sel) }
}

func clicked(sel string) step { return func(ctx context.Context) error { return click(ctx, sel) } }

func filled(sel, value string) step {
	return func(ctx context.Context) error { return fill(ctx, sel, value) }
}

func showing(sel string) step {
	return func(ctx context.Context) error { return waitFor(ctx, shown(sel)) }
}

func gone(sel string) step {
	return func(ctx context.Context) error {
		return waitFor(ctx, `document.readyState === "complete" && document.querySelector(`+js(sel)+`) === null`)
	}
}

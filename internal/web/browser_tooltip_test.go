package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestChartTooltipEscapesNames: the names a chart's tooltip shows are
// text, not HTML. Policy, industry and enterprise names are data that
// people type; a name "<img src=x onerror=…>" must show as written, not
// become an element of the page (issue 11, point 9). The page is the
// app's own chart script and ECharts, served by the app, drawing a chart
// spec as the pages write it.
func TestChartTooltipEscapesNames(t *testing.T) {
	ctx := startChromium(t)
	spec := chartSpec{Kind: "bar", Axis: "money", Categories: []string{`<img id="pwn" src="x">政策`},
		Series: []chartSeries{
			{Name: `<b id="bold">金额</b>`, Data: []float64{5}, Labels: []string{`<i id="label">5万</i>`}},
			{Name: "two", Data: []float64{3}, Labels: []string{"3万"}},
		}}
	raw, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	app := New(Deps{Logger: testLogger(t)})
	mux := http.NewServeMux()
	mux.Handle("/static/", app)
	mux.HandleFunc("/chart", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<script src="` + siteAssets.url("vendor/echarts.min.js") + `"></script><script src="` + siteAssets.url("app.js") + `"></script></head>
<body><div class="chart" style="width:600px;height:400px" data-chart="` + html.EscapeString(string(raw)) + `"></div></body></html>`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	journey(t, ctx, func(ctx context.Context) error {
		if err := visit(ctx, srv.URL+"/chart"); err != nil {
			return err
		}
		if err := waitFor(ctx, `document.querySelector("[data-chart] canvas")`); err != nil {
			return err
		}
		show := `(function () {
  var chart = echarts.getInstanceByDom(document.querySelector("[data-chart]"));
  chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 0});
  return document.querySelector("[data-chart]").innerText.indexOf("政策") >= 0;
})()`
		if err := waitFor(ctx, show); err != nil {
			return err
		}
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("[data-chart]").innerText`))
		if err != nil {
			return err
		}
		for _, want := range []string{`<img id="pwn" src="x">政策`, `<b id="bold">金额</b>`, `<i id="label">5万</i>`} {
			if !strings.Contains(shown, want) {
				t.Errorf("the tooltip does not show %s as text:\n%s", want, shown)
			}
		}
		injected, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`Boolean(document.querySelector("#pwn, #bold, #label"))`))
		if err != nil {
			return err
		}
		if injected {
			t.Error("a name in the tooltip became an element of the page")
		}
		return nil
	})
}

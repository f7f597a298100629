using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Lineage.Cli.Tests.Ui;

/// <summary><c>lineage ui</c> in headless Chromium: the pages a user opens, what they show, and what they refuse.</summary>
public sealed class UiBrowserTests(UiFixture ui) : IClassFixture<UiFixture>
{
    /// <summary>
    /// After a click, waits until the page's address matches <paramref name="pattern"/> and its HTML is parsed, by asking the page:
    /// the address, then <c>document.readyState</c>. Playwright's own wait for a load state (first the load event, then
    /// DOMContentLoaded) timed out in CI when the navigation had finished before the wait began: 45 s, with "Load" and "NetworkIdle"
    /// already logged. Some assertions read every matching element at once (<c>AllInnerTextsAsync</c>), so the HTML must be whole.
    /// </summary>
    private static async Task ArrivedAsync(IPage page, string pattern)
    {
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(pattern), new() { Timeout = 45_000 });
        await page.WaitForFunctionAsync("() => document.readyState !== 'loading'", null, new() { Timeout = 45_000 });
    }

    private static async Task<string[]> ColumnAsync(IPage page, string table, int column) =>
        [.. (await page.Locator($"#{table} tbody tr td:nth-child({column})").AllInnerTextsAsync()).Select(t => t.Trim())];

    [Fact]
    public async Task Artifacts_page_lists_the_latest_version_of_each_name_and_search_filters_them()
    {
        var page = await ui.NewPageAsync();

        var response = await page.GotoAsync(ui.Url("/"));
        var names = await ColumnAsync(page, "artifacts", 1);
        await UiFixture.ScreenshotAsync(page, "artifacts");
        await page.FillAsync("input[name=q]", "model");
        await page.ClickAsync("form.filters button[type=submit]");
        await ArrivedAsync(page, @"q=model");
        var searched = await ColumnAsync(page, "artifacts", 1);
        var versions = await ColumnAsync(page, "artifacts", 2);
        await page.FillAsync("input[name=q]", string.Empty);
        await page.FillAsync("input[name=where]", "accuracy > 0.9");
        await page.ClickAsync("form.filters button[type=submit]");
        await ArrivedAsync(page, @"where=accuracy");
        var filtered = await ColumnAsync(page, "artifacts", 1);
        await page.FillAsync("input[name=where]", "accuracy >");
        await page.ClickAsync("form.filters button[type=submit]");
        // The page that refuses the filter has an #error block; the locator waits for it (a URL wait can miss a 400 page's load).
        var malformed = await page.Locator("#error").InnerTextAsync();
        var refusedUrl = page.Url;

        Assert.Equal(200, response!.Status);
        Assert.Equal(["iris-data", "iris-model", "iris-report"], names);
        Assert.Equal(["iris-model"], searched);
        Assert.Equal(["2"], versions);
        Assert.Equal(["iris-model"], filtered);
        Assert.NotEmpty(malformed);
        Assert.Matches(@"where=accuracy(\+|%20)%3E($|&)", refusedUrl);
    }

    [Fact]
    public async Task Artifacts_page_sorts_by_a_header_and_lists_every_version_when_asked()
    {
        var page = await ui.NewPageAsync();

        await page.GotoAsync(ui.Url("/?all=1"));
        var all = await ColumnAsync(page, "artifacts", 1);
        await page.ClickAsync("#artifacts thead a:text-is('Created')");
        await page.ClickAsync("#artifacts thead a:text-is('Created')");
        await ArrivedAsync(page, "sort=-created");
        var newestFirst = await ColumnAsync(page, "artifacts", 1);

        Assert.Equal(["iris-data", "iris-model", "iris-model", "iris-report"], all);
        Assert.Equal(["iris-report", "iris-model", "iris-model", "iris-data"], newestFirst);
    }

    [Fact]
    public async Task Version_page_shows_highlighted_code_its_inputs_its_run_and_its_value()
    {
        var page = await ui.NewPageAsync();

        await page.GotoAsync(ui.Url("/version?name=iris-model&v=2"));
        var title = await page.Locator("h1").InnerTextAsync();
        var code = await page.Locator("#code").InnerTextAsync();
        var highlighted = await page.Locator("#code span[style]").CountAsync();
        var inputs = await page.Locator("#inputs a").AllInnerTextsAsync();
        var outputs = await page.Locator("#outputs a").AllInnerTextsAsync();
        var value = await page.Locator("#value").InnerTextAsync();
        var storage = await page.Locator("#storage").InnerTextAsync();
        await UiFixture.ScreenshotAsync(page, "version");
        var download = await page.APIRequest.GetAsync(ui.Url("/download?name=iris-model&v=2"));
        var bytes = await download.BodyAsync();
        await page.ClickAsync("#inputs a:text-is('iris-data@1')");
        await ArrivedAsync(page, @"/version\?name=iris-data&v=1$");
        var input = await page.Locator("h1").InnerTextAsync();

        Assert.Equal("iris-model@2", title);
        Assert.Contains("var spread = data.Max() - data.Min();", code);
        Assert.True(highlighted > 0, "ColorCode colours keywords with inline styles");
        Assert.Equal(["iris-data@1"], inputs);
        Assert.Equal(["iris-report@1"], outputs);
        Assert.Matches(@"^\[\s*5\.\d+,\s*2\.1\d*\s*\]$", value.Trim());
        Assert.Equal(ui.Home.Root, storage);
        Assert.Equal(200, download.Status);
        Assert.Equal(ui.Home.Open().Get("iris-model", 2).Size, bytes.Length);
        Assert.Equal("iris-data@1", input);
    }

    [Fact]
    public async Task Graph_page_draws_the_lineage_as_an_svg_whose_nodes_link_to_their_pages()
    {
        var page = await ui.NewPageAsync();

        await page.GotoAsync(ui.Url("/graph?name=iris-report&v=1"));
        var labels = await page.Locator("#graph svg g.node text").AllTextContentsAsync();
        var edges = await page.Locator("#graph svg path.edge").CountAsync();
        var dataX = await page.Locator("#graph svg g.node:has(text:text-is('iris-data@1')) rect").GetAttributeAsync("x");
        var reportX = await page.Locator("#graph svg g.node:has(text:text-is('iris-report@1')) rect").GetAttributeAsync("x");
        await UiFixture.ScreenshotAsync(page, "graph");
        await page.ClickAsync("#graph svg g.node:has(text:text-is('iris-model@2')) a");
        await ArrivedAsync(page, @"/version\?name=iris-model&v=2$");
        var model = await page.Locator("h1").InnerTextAsync();

        // Back to the graph by its address (not history, whose restored page a loaded machine may still be settling).
        await page.GotoAsync(ui.Url("/graph?name=iris-report&v=1"), new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.ClickAsync($"#graph svg g.node.run:has(text:text-is('run train')) a");
        await ArrivedAsync(page, @"/run\?uid=");
        var run = await page.Locator("h1").InnerTextAsync();

        Assert.Equal(["iris-data@1", "iris-model@2", "iris-report@1", "run evaluate", "run train"], labels.Order(StringComparer.Ordinal));
        Assert.Equal(5, edges);
        Assert.True(double.Parse(dataX!, System.Globalization.CultureInfo.InvariantCulture) < double.Parse(reportX!, System.Globalization.CultureInfo.InvariantCulture), "inputs are drawn left of what was computed from them");
        Assert.Equal("iris-model@2", model);
        Assert.Equal("Run train", run);
    }

    [Fact]
    public async Task Compare_view_shows_the_metadata_side_by_side_and_the_code_diff()
    {
        var page = await ui.NewPageAsync();

        await page.GotoAsync(ui.Url("/artifact?name=iris-model"));
        var versions = await ColumnAsync(page, "versions", 3);
        await page.ClickAsync("#compare");
        await ArrivedAsync(page, @"/compare\?");
        var url = page.Url;
        var added = await page.Locator("#diff .ins").AllInnerTextsAsync();
        var removed = await page.Locator("#diff .del").AllInnerTextsAsync();
        var accuracy = await page.Locator("#metadata tr:has(th:text-is('metadata.accuracy')) td").AllInnerTextsAsync();
        var changed = await page.Locator("#metadata tr.changed th").AllInnerTextsAsync();
        await UiFixture.ScreenshotAsync(page, "compare");

        Assert.Equal(["2", "1"], versions);
        Assert.Contains("/compare?name=iris-model&", url);
        Assert.Contains("a=1", url);
        Assert.Contains("b=2", url);
        Assert.Contains(added, l => l.Contains("var spread = data.Max() - data.Min();", StringComparison.Ordinal));
        Assert.Contains(added, l => l.Contains("return [mean, spread];", StringComparison.Ordinal));
        Assert.Equal(["return [mean];"], removed.Select(l => l.Trim().TrimStart('-').Trim()).Where(l => l.Length > 0 && !char.IsDigit(l[0])));
        Assert.Equal(["0.81", "0.93"], accuracy);
        Assert.Contains("metadata.accuracy", changed);
        Assert.DoesNotContain("metadata.dataset", changed);
    }

    [Fact]
    public async Task Hostile_metadata_descriptions_and_run_parameters_are_shown_as_text_never_run()
    {
        var page = await ui.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, d) => dialogs++;

        await page.GotoAsync(ui.Url("/version?name=iris-report&v=1"));
        var fields = await page.Locator("table.fields").InnerTextAsync();
        var html = await page.ContentAsync();
        var versionPwned = await page.EvaluateAsync<bool>("() => 'pwned' in window");
        await UiFixture.ScreenshotAsync(page, "escaping");
        await page.GotoAsync(ui.Url("/"));
        var list = await page.Locator("#artifacts").InnerTextAsync();
        var listPwned = await page.EvaluateAsync<bool>("() => 'pwned' in window");
        await page.GotoAsync(ui.Url("/runs"));
        var runs = await page.Locator("#runs").InnerTextAsync();
        var runsPwned = await page.EvaluateAsync<bool>("() => 'pwned' in window");
        var scripts = await page.Locator("script").CountAsync();

        Assert.Contains(UiFixture.Hostile, fields);
        Assert.Contains(UiFixture.HostileCore, list);
        Assert.Contains("note=" + UiFixture.Hostile, runs);
        Assert.DoesNotContain("<script>window.pwned", html);
        Assert.DoesNotContain("<img src", html);
        Assert.False(versionPwned);
        Assert.False(listPwned);
        Assert.False(runsPwned);
        Assert.Equal(0, scripts);
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task Malformed_parameters_are_refused_with_400_and_unknown_versions_with_404()
    {
        var page = await ui.NewPageAsync();

        var badName = await page.GotoAsync(ui.Url("/version?name=%3Cscript%3Ex"));
        var badNameText = await page.Locator("#error").InnerTextAsync();
        var badVersion = await page.GotoAsync(ui.Url("/version?name=iris-model&v=-1"));
        var missing = await page.GotoAsync(ui.Url("/version?name=iris-model&v=99"));
        var twice = await page.GotoAsync(ui.Url("/graph?name=iris-model&name=iris-data"));
        var direction = await page.GotoAsync(ui.Url("/graph?name=iris-model&direction=sideways"));
        var post = await page.APIRequest.PostAsync(ui.Url("/"));

        Assert.Equal(400, badName!.Status);
        Assert.Contains("Not an artifact name", badNameText);
        Assert.Equal(400, badVersion!.Status);
        Assert.Equal(404, missing!.Status);
        Assert.Equal(400, twice!.Status);
        Assert.Equal(400, direction!.Status);
        Assert.Equal(405, post.Status);
    }

    [Fact]
    public async Task Runs_and_storage_pages_list_the_runs_and_the_locations()
    {
        var page = await ui.NewPageAsync();

        await page.GotoAsync(ui.Url("/runs"));
        var runs = await ColumnAsync(page, "runs", 1);
        await UiFixture.ScreenshotAsync(page, "runs");
        await page.GotoAsync(ui.Url($"/run?uid={ui.TrainRun}"));
        var parameters = await page.Locator("table.fields").Nth(1).InnerTextAsync();
        var outputs = await page.Locator("#outputs a").AllInnerTextsAsync();
        await page.GotoAsync(ui.Url("/storage"));
        var roots = await ColumnAsync(page, "locations", 2);
        var spaces = await ColumnAsync(page, "spaces", 1);
        await UiFixture.ScreenshotAsync(page, "storage");

        Assert.Equal(["evaluate", "train", "train", "prepare"], runs);
        Assert.Contains("epochs", parameters);
        Assert.Contains("200", parameters);
        Assert.Equal(["iris-model@2"], outputs);
        Assert.Contains(ui.Home.Root, roots);
        Assert.Contains("all", spaces);
    }

    [Fact]
    public async Task A_non_loopback_bind_without_a_token_generates_one_and_refuses_requests_without_it()
    {
        await using var open = await UiServerProcess.StartAsync(ui.Home, "--host", "0.0.0.0", "--port", "0");
        var token = Regex.Match(open.Output, "generated for this run: (?<t>[0-9a-f]{48})").Groups["t"].Value;
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = open.Loopback };

        var without = await http.GetAsync("/", ct);
        var wrong = await http.GetAsync("/?token=not-the-token", ct);
        var css = await http.GetAsync("/assets/ui.css", ct);
        var withQuery = await http.GetAsync($"/?token={token}", ct);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/runs") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        var withBearer = await http.SendAsync(bearer, ct);
        var page = await ui.NewPageAsync();
        await page.GotoAsync(new Uri(open.Loopback, $"/?token={token}").ToString());
        await page.ClickAsync("#artifacts a:text-is('iris-model')");
        await ArrivedAsync(page, @"/artifact\?name=iris-model$");
        var afterCookie = await page.Locator("h1").InnerTextAsync();

        Assert.Equal(48, token.Length);
        Assert.Contains($"?token={token}", open.PrintedUrl);
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, css.StatusCode);
        Assert.DoesNotContain("iris", await without.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.OK, withQuery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withBearer.StatusCode);
        Assert.Equal("iris-model", afterCookie);
    }

    [Fact]
    public async Task Loopback_is_the_default_and_needs_no_token()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = ui.Server.Loopback };

        var home = await http.GetAsync("/", ct);
        var css = await http.GetAsync("/assets/ui.css", ct);

        Assert.StartsWith("http://127.0.0.1:", ui.Server.PrintedUrl);
        Assert.DoesNotContain("token", ui.Server.PrintedUrl);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", home.Headers.GetValues("Content-Security-Policy").Single());
    }
}

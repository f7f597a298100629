using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lineage.Cli.Ui;

/// <summary>
/// The web server of <c>lineage ui</c>: Kestrel on one address, GET only (405 otherwise), every page rendered from the store on request.
/// With a token, every request must carry it (query <c>token=</c>, which sets a cookie, the cookie, or
/// <c>Authorization: Bearer</c>); without it the answer is 401.
/// </summary>
internal sealed class UiServer : IAsyncDisposable
{
    /// <summary>The cookie that carries the token after the first request.</summary>
    public const string TokenCookie = "lineage_ui_token";

    private readonly WebApplication _app;

    private UiServer(WebApplication app) => _app = app;

    /// <summary>The address the server listens on, e.g. <c>http://127.0.0.1:7070/</c>.</summary>
    public required Uri Address { get; init; }

    /// <summary>Starts serving <paramref name="store"/> on <paramref name="address"/>:<paramref name="port"/> (0: any free port).</summary>
    public static async Task<UiServer> StartAsync(ArtifactStore store, string storeLabel, IPAddress address, int port, string? token, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(address, port);
        });
        var app = builder.Build();
        var pages = new UiPages(store, storeLabel);
        var expected = token is null ? null : Encoding.UTF8.GetBytes(token);

        app.Use(async (context, next) =>
        {
            var response = context.Response;
            response.Headers["X-Content-Type-Options"] = "nosniff";
            response.Headers["X-Frame-Options"] = "DENY";
            response.Headers["Referrer-Policy"] = "no-referrer";
            response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            response.Headers.CacheControl = "no-store";
            if (expected is not null)
            {
                var fromQuery = context.Request.Query["token"].Count == 1 ? context.Request.Query["token"][0] : null;
                var given = fromQuery ?? Bearer(context.Request) ?? context.Request.Cookies[TokenCookie];
                if (given is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected))
                {
                    response.StatusCode = StatusCodes.Status401Unauthorized;
                    response.ContentType = "text/plain; charset=utf-8";
                    await response.WriteAsync("401: this lineage ui needs its token (open the address it printed, with ?token=...).");
                    return;
                }

                if (fromQuery is not null)
                {
                    response.Cookies.Append(TokenCookie, fromQuery, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
                }
            }

            if (!HttpMethods.IsGet(context.Request.Method))
            {
                response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                response.Headers.Allow = "GET";
                return;
            }

            await next(context);
        });

        Page(app, "/", (r, ct) => pages.ArtifactsAsync(r, ct));
        Page(app, "/artifact", (r, ct) => pages.ArtifactAsync(r, ct));
        Page(app, "/compare", (r, ct) => pages.CompareAsync(r, ct));
        Page(app, "/version", (r, ct) => pages.VersionAsync(r, ct));
        Page(app, "/graph", (r, ct) => pages.GraphAsync(r, ct));
        Page(app, "/runs", (_, ct) => pages.RunsAsync(ct));
        Page(app, "/run", (r, ct) => pages.RunAsync(r, ct));
        Page(app, "/storage", (_, ct) => pages.StorageAsync(ct));
        app.MapGet("/assets/ui.css", async context =>
        {
            context.Response.ContentType = "text/css; charset=utf-8";
            await using var css = typeof(UiServer).Assembly.GetManifestResourceStream("Lineage.Cli.Ui.ui.css")!;
            await css.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
        app.MapGet("/download", context => Guarded(context, async () =>
        {
            var record = await pages.VersionOf(context.Request, context.RequestAborted);
            var temporary = Path.Combine(Path.GetTempPath(), $"lineage-ui-{Guid.NewGuid():N}.partial");
            try
            {
                // Exported first, so size and SHA-256 are verified before a byte is sent.
                await store.ExportAsync(record, temporary, cancellationToken: context.RequestAborted);
                context.Response.ContentType = "application/octet-stream";
                context.Response.Headers.ContentDisposition = $"attachment; filename=\"{FileName(record)}\"";
                await context.Response.SendFileAsync(temporary, context.RequestAborted);
            }
            finally
            {
                File.Delete(temporary);
            }
        }));
        app.MapGet("/value.json", context => Guarded(context, async () =>
        {
            var record = await pages.VersionOf(context.Request, context.RequestAborted);
            string json;
            try
            {
                json = await pages.ValueJsonAsync(record, context.RequestAborted);
            }
            catch (LineageException e)
            {
                // Raw bytes, or a type the tool cannot read: the value exists, JSON cannot show it.
                context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(e.Message, context.RequestAborted);
                return;
            }

            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(json, context.RequestAborted);
        }));

        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new UiServer(app) { Address = new Uri(bound.EndsWith('/') ? bound : bound + "/") };
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled (Ctrl+C).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private static void Page(WebApplication app, string path, Func<HttpRequest, CancellationToken, Task<string>> render) =>
        app.MapGet(path, context => Guarded(context, async () =>
        {
            var html = await render(context.Request, context.RequestAborted);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(html, context.RequestAborted);
        }));

    /// <summary>Runs a handler; what the store or the parameters refuse becomes a page with the status it deserves and its message, escaped.</summary>
    private static async Task Guarded(HttpContext context, Func<Task> handler)
    {
        try
        {
            await handler();
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            var (status, title) = e switch
            {
                BadRequestException or UsageException or ArgumentException => (StatusCodes.Status400BadRequest, "Bad request"),
                ArtifactNotFoundException or RunNotFoundException or NotFoundException => (StatusCodes.Status404NotFound, "Not found"),
                LineageException => (StatusCodes.Status500InternalServerError, "Error"),
                _ => (StatusCodes.Status500InternalServerError, "Error"),
            };
            var message = e is ArgumentException argument ? LineageCli.MessageOf(argument) : e is LineageException or BadRequestException or UsageException or NotFoundException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            context.Response.Clear();
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(Html.Page(title, "lineage", $"<p class=\"error\" id=\"error\">{Html.Text(message)}</p><p><a href=\"/\">Artifacts</a></p>"));
        }
    }

    private static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
    }

    /// <summary>A download file name of only safe characters: <c>iris-model@3.bin</c>.</summary>
    private static string FileName(ArtifactRecord record)
    {
        var name = new string([.. record.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        return $"{name}@{record.Version}.bin";
    }
}

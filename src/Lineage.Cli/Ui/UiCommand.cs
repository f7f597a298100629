using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Lineage.Cli.Output;

namespace Lineage.Cli.Ui;

/// <summary>
/// <c>lineage ui [--port N] [--host ADDR] [--token T] [--open]</c>: the resolved store in a browser, read-only, served by
/// ASP.NET Core inside the tool. Loopback only unless told otherwise; any other address needs a token.
/// </summary>
public static class UiCommand
{
    /// <summary>The port when none is given.</summary>
    public const int DefaultPort = 7070;

    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var port = new Option<int>("--port") { Description = $"TCP port to listen on (default {DefaultPort}; 0: any free port)", DefaultValueFactory = _ => DefaultPort };
        var host = new Option<string>("--host") { Description = "IP address to listen on (default 127.0.0.1); any non-loopback address requires a token", DefaultValueFactory = _ => "127.0.0.1" };
        var token = new Option<string?>("--token") { Description = "A token every request must carry (?token=T once, then a cookie; or Authorization: Bearer T); generated and printed when a non-loopback address is given without one" };
        var open = new Option<bool>("--open") { Description = "Open the address in the default browser" };
        var command = new Command("ui", "Serve a read-only web UI over the store: artifacts, versions, code, diffs, lineage graphs, runs, storage") { port, host, token, open };
        command.SetAction(async (parsed, ct) =>
        {
            var number = parsed.GetValue(port);
            if (number is < 0 or > 65535)
            {
                throw new UsageException("--port takes a TCP port from 0 to 65535.");
            }

            var text = parsed.GetValue(host)!;
            var address = text == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(text, out var parsedAddress) ? parsedAddress
                : throw new UsageException($"--host takes an IP address such as 127.0.0.1 or 0.0.0.0, not '{text}'.");
            var secret = parsed.GetValue(token);
            if (secret is not null && (secret.Length < 8 || secret.Any(c => c <= ' ' || c > '~')))
            {
                throw new UsageException("--token takes at least 8 printable ASCII characters, without spaces.");
            }

            var generated = false;
            if (secret is null && !IPAddress.IsLoopback(address))
            {
                secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
                generated = true;
            }

            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var label = store.Options.MaskedDatabaseUrl;
            await using var server = await UiServer.StartAsync(store, label, address, number, secret, ct);
            var shown = new UriBuilder(server.Address);
            if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            {
                shown.Host = Dns.GetHostName();
            }

            var url = secret is null ? shown.Uri.ToString() : $"{shown.Uri}?token={Uri.EscapeDataString(secret)}";
            terminal.Line($"Serving {label} (read-only) at {url}");
            if (generated)
            {
                terminal.Line($"Listening on {address} (not loopback): every request needs the token, generated for this run: {secret}");
            }

            terminal.Line("Press Ctrl+C to stop.");
            await terminal.Out.FlushAsync(ct);
            if (parsed.GetValue(open))
            {
                OpenBrowser(url, terminal);
            }

            try
            {
                await server.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }

    private static void OpenBrowser(string url, Terminal terminal)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(url) { UseShellExecute = true });
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            terminal.Line(string.Create(CultureInfo.InvariantCulture, $"Could not open a browser ({e.Message}); open {url} yourself."));
        }
    }
}

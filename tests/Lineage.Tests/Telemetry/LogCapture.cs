using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Lineage.Tests.Telemetry;

/// <summary>One captured event: everything a logging provider could write, structured values included.</summary>
public sealed record LogLine(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> State, string? Exception)
{
    /// <summary>The whole line, every field: what a secret must never appear in.</summary>
    public override string ToString() =>
        $"{Category} {Level} {EventId.Id} {EventId.Name}: {Message} [{string.Join(", ", State.Select(p => $"{p.Key}={p.Value}"))}] {Exception}";
}

/// <summary>A logger factory (and provider, for hosts) that keeps every event at every level, from every category.</summary>
public sealed class LogCapture : ILoggerFactory, ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public IReadOnlyList<LogLine> Named(string eventName) => [.. _lines.Where(l => l.EventId.Name == eventName)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture._lines.Enqueue(new LogLine(category, logLevel, eventId, formatter(state, exception),
                state as IReadOnlyList<KeyValuePair<string, object?>> ?? [], exception?.ToString()));
    }
}

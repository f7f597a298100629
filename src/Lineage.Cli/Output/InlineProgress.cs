namespace Lineage.Cli.Output;

/// <summary>Reports progress on the calling thread, in order (Progress&lt;T&gt; would post it to the thread pool).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

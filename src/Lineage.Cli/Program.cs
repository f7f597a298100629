using System.Text;
using Lineage.Cli;

// The console's own writer flushes every 256 bytes, a system call each: 61,677 of them for `ls --json` over 20,000 names
// (docs/benchmarks.md, CLI start). Standard output in UTF-8 gets a writer with a larger buffer instead; it still flushes after
// every write, so what the tool prints reaches a pipe or a terminal, in order with standard error, as soon as it is written.
if (Console.OutputEncoding.CodePage == Encoding.UTF8.CodePage)
{
    Console.SetOut(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024)
    {
        AutoFlush = true,
    });
}

return await LineageCli.RunAsync(args, Console.Out, Console.Error);

using Lineage.Cli;

return await LineageCli.RunAsync(args, Console.Out, Console.Error);

using WeakNas.Cli;

return WeakNasCli.Run(args, Console.Out, Console.Error);

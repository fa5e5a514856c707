using CowGuard.Cli;

return CowGuardCli.Run(args, Console.Out, Console.Error);

using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CowGuard.Package.Tests.Infrastructure.LanguageServer;

/// <summary>One diagnostic as the editor shows it: rule, LSP severity (1 error, 2 warning, 3 information, 4 hint), 0-based line.</summary>
internal sealed record EditorDiagnostic(string Code, int Severity, int Line, string Message)
{
    public const int Error = 1;
    public const int Warning = 2;
}

/// <summary>
/// An editor with one C# file open in a project folder, talking to the language server as VS Code or Neovim would:
/// initialize with the folder as workspace, analyzers enabled through workspace/configuration (csharp-ls leaves them
/// off otherwise), open the file, edit it with full-text changes, and pull its diagnostics (textDocument/diagnostic).
/// </summary>
internal sealed class EditorSession : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly LspClient _client;
    private readonly string _uri;
    private int _version = 1;

    private EditorSession(LspClient client, string uri, string text)
    {
        _client = client;
        _uri = uri;
        Text = text;
    }

    /// <summary>The document's text as the editor holds it.</summary>
    public string Text { get; private set; }

    public string ServerLog => _client.Log;

    public static async Task<EditorSession> OpenAsync(CSharpLanguageServer server, string projectDirectory, string fileName)
    {
        var client = new LspClient(
            ProcessRunner.Prepare(server.Command, projectDirectory, []),
            _ => new JsonObject { ["analyzersEnabled"] = true });
        try
        {
            var rootUri = new Uri(Path.TrimEndingDirectorySeparator(projectDirectory) + Path.DirectorySeparatorChar).AbsoluteUri;
            await client.RequestAsync("initialize", new JsonObject
            {
                ["processId"] = Environment.ProcessId,
                ["rootUri"] = rootUri,
                ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = rootUri, ["name"] = Path.GetFileName(projectDirectory) }),
                ["capabilities"] = new JsonObject
                {
                    ["workspace"] = new JsonObject { ["configuration"] = true, ["workspaceFolders"] = true },
                    ["textDocument"] = new JsonObject
                    {
                        ["synchronization"] = new JsonObject { ["didSave"] = true },
                        ["publishDiagnostics"] = new JsonObject(),
                        ["diagnostic"] = new JsonObject { ["dynamicRegistration"] = false },
                    },
                },
            });
            await client.NotifyAsync("initialized", new JsonObject());
            await client.NotifyAsync("workspace/didChangeConfiguration", new JsonObject
            {
                ["settings"] = new JsonObject { ["csharp"] = new JsonObject { ["analyzersEnabled"] = true } },
            });

            var path = Path.Combine(projectDirectory, fileName);
            var text = await File.ReadAllTextAsync(path);
            var uri = new Uri(path).AbsoluteUri;
            await client.NotifyAsync("textDocument/didOpen", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = text },
            });
            return new EditorSession(client, uri, text);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Replaces the document's text, as an editor does on each keystroke batch (full-text sync).</summary>
    public Task ChangeAsync(string text)
    {
        Text = text;
        return _client.NotifyAsync("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = _uri, ["version"] = ++_version },
            ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = text }),
        });
    }

    public async Task<IReadOnlyList<EditorDiagnostic>> PullDiagnosticsAsync()
    {
        var report = await _client.RequestAsync("textDocument/diagnostic", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = _uri },
        });
        return (report?["items"]?.AsArray() ?? [])
            .Select(item => new EditorDiagnostic(
                item!["code"]?.ToString() ?? "",
                item["severity"]?.GetValue<int>() ?? 0,
                item["range"]!["start"]!["line"]!.GetValue<int>(),
                item["message"]?.GetValue<string>() ?? ""))
            .ToList();
    }

    /// <summary>
    /// Pulls until the diagnostics satisfy <paramref name="expectation"/>; returns them and how long it took from the
    /// call. Past <paramref name="bound"/> it fails with what the editor showed last and what the server logged.
    /// </summary>
    public async Task<(IReadOnlyList<EditorDiagnostic> Diagnostics, TimeSpan Elapsed)> WaitForAsync(
        string what, Func<IReadOnlyList<EditorDiagnostic>, bool> expectation, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<EditorDiagnostic> last = [];
        var lastError = "";
        while (true)
        {
            try
            {
                last = await PullDiagnosticsAsync();
            }
            catch (LspException e) when (e.Message.StartsWith("error response", StringComparison.Ordinal))
            {
                // A server still loading the workspace may refuse a pull; the next one is answered.
                lastError = e.Message;
            }

            if (expectation(last))
            {
                return (last, clock.Elapsed);
            }

            if (clock.Elapsed > bound)
            {
                throw new Xunit.Sdk.XunitException(
                    $"{what}: not shown within {bound.TotalSeconds:0} s. The editor showed:\n  " +
                    string.Join("\n  ", last.Select(d => $"{d.Code} severity {d.Severity} line {d.Line + 1}: {d.Message}")) +
                    $"\nLast refused pull: {lastError}\nServer log:\n{_client.Log}");
            }

            await Task.Delay(PollInterval);
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}

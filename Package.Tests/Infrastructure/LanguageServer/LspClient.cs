using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CliWrap;

namespace CowGuard.Package.Tests.Infrastructure.LanguageServer;

/// <summary>A language server that answered a request with an error, or did not answer within the time allowed.</summary>
internal sealed class LspException(string message) : Exception(message);

/// <summary>
/// A small Language Server Protocol client over a server's stdin/stdout: JSON-RPC 2.0 messages framed by
/// Content-Length headers. It sends requests and notifications, matches responses to requests, answers the requests
/// the server sends (workspace/configuration with the given settings, capability registration, progress tokens), and
/// keeps the server's log messages for failure reports. The server process runs through CliWrap like every other
/// child process of the tests; stopping the client kills it if it does not exit after shutdown.
/// </summary>
internal sealed class LspClient : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(2);

    private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly StringBuilder _standardError = new();
    private readonly Func<JsonObject, JsonNode?> _configuration;
    private readonly CancellationTokenSource _kill = new();
    private readonly Task<CliWrap.CommandResult> _process;
    private int _nextId;

    /// <param name="command">The server command; its standard streams are replaced by the protocol.</param>
    /// <param name="configuration">The answer to one item of a workspace/configuration request.</param>
    public LspClient(Command command, Func<JsonObject, JsonNode?> configuration)
    {
        _configuration = configuration;
        _process = command
            .WithStandardInputPipe(PipeSource.Create(WriteOutgoingAsync))
            .WithStandardOutputPipe(PipeTarget.Create(ReadIncomingAsync))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => { lock (_standardError) { _standardError.AppendLine(line); } }))
            .ExecuteAsync(_kill.Token)
            .Task;
    }

    /// <summary>What the server said about itself (window/logMessage, showMessage, stderr), newest last.</summary>
    public string Log
    {
        get
        {
            lock (_standardError)
            {
                return string.Join('\n', _log.TakeLast(60)) + "\n--- stderr:\n" + _standardError;
            }
        }
    }

    public async Task<JsonNode?> RequestAsync(string method, JsonNode? parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var response = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = response;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        var finished = await Task.WhenAny(response.Task, Task.Delay(RequestTimeout), _process);
        if (finished != response.Task)
        {
            _pending.TryRemove(id, out _);
            var why = finished == _process ? "the server exited" : $"no answer within {RequestTimeout}";
            throw new LspException($"{method}: {why}\n{Log}");
        }

        return await response.Task;
    }

    public Task NotifyAsync(string method, JsonNode? parameters) =>
        SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    /// <summary>shutdown, exit, end of input; the process is killed if it is still running after a grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.IsCompleted)
            {
                await RequestAsync("shutdown", null).WaitAsync(TimeSpan.FromSeconds(20));
                await NotifyAsync("exit", null);
            }
        }
        catch (Exception e) when (e is LspException or TimeoutException)
        {
            // Killed below.
        }

        _outgoing.Writer.TryComplete();
        if (await Task.WhenAny(_process, Task.Delay(TimeSpan.FromSeconds(10))) != _process)
        {
            await _kill.CancelAsync();
        }

        try
        {
            await _process;
        }
        catch (OperationCanceledException)
        {
        }

        _kill.Dispose();
    }

    private Task SendAsync(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        return _outgoing.Writer.WriteAsync([.. header, .. body]).AsTask();
    }

    private async Task WriteOutgoingAsync(Stream input, CancellationToken cancellationToken)
    {
        await foreach (var frame in _outgoing.Reader.ReadAllAsync(cancellationToken))
        {
            await input.WriteAsync(frame, cancellationToken);
            await input.FlushAsync(cancellationToken);
        }
    }

    private async Task ReadIncomingAsync(Stream output, CancellationToken cancellationToken)
    {
        var reader = new FrameReader(output);
        while (await reader.ReadAsync(cancellationToken) is { } body)
        {
            if (JsonNode.Parse(body) is JsonObject message)
            {
                await DispatchAsync(message);
            }
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new LspException($"the server closed its output\n{Log}"));
        }
    }

    private async Task DispatchAsync(JsonObject message)
    {
        var method = message["method"]?.GetValue<string>();
        var hasId = message.TryGetPropertyValue("id", out var id) && id is not null;
        if (method is null && hasId)
        {
            // A response to one of our requests.
            if (_pending.TryRemove(id!.GetValue<int>(), out var response))
            {
                if (message["error"] is { } error)
                {
                    response.TrySetException(new LspException($"error response: {error.ToJsonString()}"));
                }
                else
                {
                    response.TrySetResult(message["result"]?.DeepClone());
                }
            }

            return;
        }

        if (method is "window/logMessage" or "window/showMessage")
        {
            _log.Enqueue(message["params"]?["message"]?.GetValue<string>() ?? "");
        }

        if (hasId)
        {
            // A request from the server: answer every one, or it may wait forever.
            JsonNode? result = method == "workspace/configuration"
                ? new JsonArray((message["params"]?["items"]?.AsArray() ?? []).Select(item => _configuration(item!.AsObject())).ToArray())
                : null;
            await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id!.DeepClone(), ["result"] = result });
        }
    }

    /// <summary>Reads Content-Length framed messages from a byte stream.</summary>
    private sealed class FrameReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<string?> ReadAsync(CancellationToken cancellationToken)
        {
            var length = -1;
            while (true)
            {
                var line = await ReadLineAsync(cancellationToken);
                if (line is null)
                {
                    return null;
                }

                if (line.Length == 0)
                {
                    break;
                }

                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    length = int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
                }
            }

            if (length < 0)
            {
                throw new LspException("a message without Content-Length");
            }

            var body = new byte[length];
            for (var read = 0; read < length;)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    return null;
                }

                var count = Math.Min(length - read, _end - _start);
                Array.Copy(_buffer, _start, body, read, count);
                _start += count;
                read += count;
            }

            return Encoding.UTF8.GetString(body);
        }

        private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new StringBuilder();
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    return null;
                }

                var b = _buffer[_start++];
                if (b == (byte)'\n')
                {
                    return line.ToString().TrimEnd('\r');
                }

                line.Append((char)b);
            }
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer, cancellationToken);
            return _end > 0;
        }
    }
}

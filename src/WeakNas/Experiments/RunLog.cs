using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WeakNas.Experiments;

/// <summary>
/// An append-only JSON-lines file of finished runs (<c>runs.jsonl</c>). Each run is one line, written and flushed
/// to disk as the run ends, so an interrupted benchmark resumes without redoing finished runs. A torn last line
/// (a kill in mid-write) is ignored on reading and overwritten by the next append.
/// </summary>
public sealed class RunLog
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly object _gate = new();

    public RunLog(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Every complete run in the file; a damaged line other than the last is an error naming the line.</summary>
    public List<RunRecord> Read()
    {
        var runs = new List<RunRecord>();
        if (!File.Exists(Path)) return runs;
        var lines = File.ReadAllLines(Path);
        for (int i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            try
            {
                runs.Add(JsonSerializer.Deserialize<RunRecord>(lines[i], Json) ?? throw new JsonException("null record"));
            }
            catch (JsonException e) when (i == lines.Length - 1)
            {
                _ = e; // a torn final line from an interrupted run: that run is simply not finished
            }
            catch (JsonException e)
            {
                throw new InvalidInputException($"{System.IO.Path.GetFileName(Path)} line {i + 1}: not a run record ({e.Message})", e);
            }
        }
        return runs;
    }

    public void Append(RunRecord run)
    {
        string line = JsonSerializer.Serialize(run, Json);
        lock (_gate)
        {
            TruncateTornLine();
            using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            var bytes = Encoding.UTF8.GetBytes(line + "\n");
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Removes a partial last line left by a kill, so the next record starts on a line of its own.</summary>
    private void TruncateTornLine()
    {
        if (!File.Exists(Path)) return;
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite);
        if (stream.Length == 0) return;
        stream.Seek(-1, SeekOrigin.End);
        if (stream.ReadByte() == '\n') return;
        long position = stream.Length - 1;
        while (position > 0)
        {
            stream.Seek(position - 1, SeekOrigin.Begin);
            if (stream.ReadByte() == '\n') break;
            position--;
        }
        stream.SetLength(position);
    }
}

using System.Globalization;

namespace WeakNas.Benchmarks;

/// <summary>
/// A small reader for CSV tables (comma-separated, header row; a field may be quoted with double quotes, a quote
/// inside written twice, as RFC 4180 has it, but not span lines). Errors name the file, the line and the value, so a
/// damaged table is easy to find.
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;
    private readonly string[] _columnNames;

    public string Path { get; }
    public string FileName => System.IO.Path.GetFileName(Path);
    public IReadOnlyList<string[]> Rows { get; }

    private readonly List<int> _lineNumbers;

    private CsvTable(string path, string[] columnNames, Dictionary<string, int> columns, List<string[]> rows, List<int> lineNumbers)
    {
        Path = path;
        _columnNames = columnNames;
        _columns = columns;
        Rows = rows;
        _lineNumbers = lineNumbers;
    }

    public static CsvTable Read(string path)
    {
        if (!File.Exists(path))
            throw new InvalidInputException($"benchmark table not found: {path} (point --data or WEAKNAS_DATA at the folder that holds it)");
        WeakNas.Data.InputFile.Check(path);
        using var reader = new StreamReader(path);
        return Parse(path, reader);
    }

    /// <summary>Reads a table from <paramref name="reader"/>; <paramref name="path"/> names it in errors.</summary>
    public static CsvTable Parse(string path, TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header))
            throw new InvalidInputException($"{System.IO.Path.GetFileName(path)} line 1: empty file, expected a header row");
        var names = Split(header, path, 1).Select(n => n.Trim()).ToArray();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++) columns[names[i]] = i;

        var rows = new List<string[]>();
        var lineNumbers = new List<int>();
        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fields = Split(line, path, lineNumber);
            if (fields.Length != names.Length)
                throw new InvalidInputException($"{System.IO.Path.GetFileName(path)} line {lineNumber}: {fields.Length} fields, expected {names.Length} as in the header");
            rows.Add(fields);
            lineNumbers.Add(lineNumber);
        }
        return new CsvTable(path, names, columns, rows, lineNumbers);
    }

    private static string[] Split(string line, string path, int lineNumber)
    {
        if (!line.Contains('"', StringComparison.Ordinal)) return line.Split(',');
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        int i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) throw new InvalidInputException($"{System.IO.Path.GetFileName(path)} line {lineNumber}: a quoted field is not closed");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                if (i < line.Length && line[i] != ',')
                    throw new InvalidInputException($"{System.IO.Path.GetFileName(path)} line {lineNumber}: text after a closing quote at column {i + 1}");
            }
            else
            {
                while (i < line.Length && line[i] != ',') field.Append(line[i++]);
            }
            fields.Add(field.ToString());
            if (i >= line.Length) return [.. fields];
            i++; // the comma
        }
    }

    /// <summary>The header's column names, in file order.</summary>
    public IReadOnlyList<string> ColumnNames => _columnNames;

    public int Column(string name) =>
        _columns.TryGetValue(name, out int index)
            ? index
            : throw new InvalidInputException($"{FileName}: missing column '{name}' in the header");

    /// <summary>The 1-based line in the file of row <paramref name="row"/>.</summary>
    public int LineOf(int row) => _lineNumbers[row];

    public double Number(int row, int column)
    {
        string text = Rows[row][column];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw new InvalidInputException($"{FileName} line {LineOf(row)}: column '{NameOf(column)}' has '{text}', expected a number");
        return value;
    }

    public int Integer(int row, int column)
    {
        string text = Rows[row][column];
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            throw new InvalidInputException($"{FileName} line {LineOf(row)}: column '{NameOf(column)}' has '{text}', expected an integer");
        return value;
    }

    public string Text(int row, int column) => Rows[row][column];

    private string NameOf(int column) => _columnNames[column];
}

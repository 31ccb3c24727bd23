using System.Globalization;

namespace CommunityDeliberation.App.Components.Shared;

/// <summary>
/// Sorting of a table's rows by column, driven by <see cref="SortHeader"/> buttons (keyboard reachable, unlike MudTable's
/// sort labels, which are clickable spans). Text sorts by the current culture (pinyin order for Chinese names).
/// Unsorted until a column is chosen: the rows keep the order the service gave them.
/// </summary>
public sealed class TableSort<T>(params (string Key, Func<T, object?> By)[] columns)
{
    private readonly Dictionary<string, Func<T, object?>> _columns = columns.ToDictionary(c => c.Key, c => c.By, StringComparer.Ordinal);

    public string? Key { get; private set; }

    public bool Descending { get; private set; }

    /// <summary>Sorts by <paramref name="key"/>; choosing the same column again reverses the order.</summary>
    public void Toggle(string key)
    {
        if (!_columns.ContainsKey(key))
        {
            throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown column");
        }

        Descending = Key == key && !Descending;
        Key = key;
    }

    public IEnumerable<T> Apply(IEnumerable<T> rows)
    {
        if (Key is null)
        {
            return rows;
        }

        var by = _columns[Key];
        return Descending ? rows.OrderByDescending(by, ValueComparer.Instance) : rows.OrderBy(by, ValueComparer.Instance);
    }

    /// <summary>The column header's aria-sort: "ascending" / "descending" for the sorted column, none otherwise.</summary>
    public string? AriaSort(string key) => Key == key ? (Descending ? "descending" : "ascending") : null;

    private sealed class ValueComparer : IComparer<object?>
    {
        public static readonly ValueComparer Instance = new();

        public int Compare(object? x, object? y) => (x, y) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            (string a, string b) => string.Compare(a, b, CultureInfo.CurrentCulture, CompareOptions.None),
            _ => Comparer<object>.Default.Compare(x, y),
        };
    }
}

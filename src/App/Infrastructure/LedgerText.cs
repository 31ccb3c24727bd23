using CommunityDeliberation.Deliberation.Ledger;
using Microsoft.Extensions.Localization;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>A ledger history note in the reader's language.</summary>
public static class LedgerText
{
    /// <summary>The labels <see cref="LedgerItem.Reassign"/> writes, and the resource that says each in the page's language.</summary>
    private static readonly (string Stored, string Key)[] Labels =
        [(ReassignmentNote.Owner, "Ledger.Owner"), (ReassignmentNote.Due, "Ledger.DueOn"), (ReassignmentNote.Area, "Ledger.Area")];

    /// <summary>
    /// The labels a reassignment writes into its note (<see cref="ReassignmentNote"/>: both languages in one stored text)
    /// are shown in the page's language only; the names and dates after them are the record's. Other notes are people's
    /// own words and stay as written.
    /// </summary>
    public static string? Note(IStringLocalizer localizer, LedgerEntryKind kind, string? note)
    {
        if (note is null || kind != LedgerEntryKind.Reassigned)
        {
            return note;
        }

        // Only a label that starts one of the note's parts: the same words inside a name stay.
        return string.Join(ReassignmentNote.Separator, note.Split(ReassignmentNote.Separator).Select(part => Labels.FirstOrDefault(l => part.StartsWith(l.Stored, StringComparison.Ordinal)) is { Stored: { } stored } label
            ? localizer[label.Key] + ":" + part[stored.Length..]
            : part));
    }
}

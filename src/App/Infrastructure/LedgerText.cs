using CommunityDeliberation.Deliberation.Ledger;
using Microsoft.Extensions.Localization;

namespace CommunityDeliberation.App.Infrastructure;

/// <summary>A ledger history note in the reader's language.</summary>
public static class LedgerText
{
    /// <summary>
    /// The labels a reassignment writes into its note (<see cref="LedgerItem"/>: "负责 Owner: A → B; 期限 Due: …; 片区 Area: …",
    /// both languages in one stored text) are shown in the page's language only; the names and dates after them are
    /// the record's. Other notes are people's own words and stay as written.
    /// </summary>
    public static string? Note(IStringLocalizer localizer, LedgerEntryKind kind, string? note)
    {
        if (note is null || kind != LedgerEntryKind.Reassigned)
        {
            return note;
        }

        return note
            .Replace("负责 Owner:", localizer["Ledger.Owner"] + ":", StringComparison.Ordinal)
            .Replace("期限 Due:", localizer["Ledger.DueOn"] + ":", StringComparison.Ordinal)
            .Replace("片区 Area:", localizer["Ledger.Area"] + ":", StringComparison.Ordinal);
    }
}

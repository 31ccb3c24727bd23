using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.App.Tests.Support;
using CommunityDeliberation.Deliberation.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace CommunityDeliberation.App.Tests.Shared;

/// <summary>A new-user review read "Reassigned: 负责 Owner: … ; 片区 Area: …" on the English page (and the same on the Chinese one).</summary>
public sealed class LedgerTextTests : AppTestContext
{
    private const string Stored = "负责 Owner: 居委会 → 物业公司; 期限 Due: 2026-12-31 → 2027-01-31; 片区 Area: — → 沪闵路沿线";

    [Fact]
    public void AReassignmentReadsInChineseOnTheChinesePage() =>
        Assert.Equal("责任方: 居委会 → 物业公司; 完成时限: 2026-12-31 → 2027-01-31; 小区/片区: — → 沪闵路沿线", Note(Stored));

    [Fact]
    public void AReassignmentReadsInEnglishOnTheEnglishPage()
    {
        UseCulture(Cultures.English);

        Assert.Equal("Owner: 居委会 → 物业公司; Due: 2026-12-31 → 2027-01-31; Estate or area: — → 沪闵路沿线", Note(Stored));
    }

    [Fact]
    public void OnlyALabelThatStartsAPartIsTranslated() =>
        Assert.Equal("责任方: 负责 Owner: 小组 → 物业公司", Note("负责 Owner: 负责 Owner: 小组 → 物业公司"));

    [Fact]
    public void OtherNotesArePeoplesOwnWords()
    {
        var localizer = Services.GetRequiredService<IStringLocalizer<SharedResource>>();

        Assert.Equal("负责 Owner: 写在备注里", LedgerText.Note(localizer, LedgerEntryKind.Progress, "负责 Owner: 写在备注里"));
        Assert.Null(LedgerText.Note(localizer, LedgerEntryKind.Reassigned, null));
    }

    private string? Note(string stored) =>
        LedgerText.Note(Services.GetRequiredService<IStringLocalizer<SharedResource>>(), LedgerEntryKind.Reassigned, stored);
}

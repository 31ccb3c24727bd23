using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.App.Tests.Support;
using CommunityDeliberation.Deliberation.Hearings;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace CommunityDeliberation.App.Tests.Shared;

public sealed class ErrorMessagesTests : AppTestContext
{
    [Fact]
    public void NamesAHearingsStepInWordsNotByItsCodeName()
    {
        var localizer = Services.GetRequiredService<IStringLocalizer<SharedResource>>();

        var sentence = ErrorMessages.Describe(new DomainException("Hearing.WrongStage", nameof(HearingStage.RegistrationOpen)), localizer);

        Assert.DoesNotContain(nameof(HearingStage.RegistrationOpen), sentence, StringComparison.Ordinal);
        Assert.Contains(localizer[$"HearingStage.{nameof(HearingStage.RegistrationOpen)}"].Value, sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCodeGetsTheGeneralSentenceNeverTheCode()
    {
        var localizer = Services.GetRequiredService<IStringLocalizer<SharedResource>>();

        var sentence = ErrorMessages.Describe(new DomainException("No.Such.Code"), localizer);

        Assert.Equal(localizer["Error.Generic"].Value, sentence);
    }
}

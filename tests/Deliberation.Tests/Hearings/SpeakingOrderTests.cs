using CommunityDeliberation.Deliberation.Hearings;
using static CommunityDeliberation.Deliberation.Hearings.ParticipantCategory;

namespace CommunityDeliberation.Tests.Hearings;

/// <summary>
/// The speaking-order rule, property-style: over many random rooms, no side speaks twice in a row while another side is
/// waiting, every selected participant speaks once, and categories take turns; plus fixed cases that show the order.
/// </summary>
public sealed class SpeakingOrderTests
{
    private static WaitingSpeaker W(int id, ParticipantCategory category, HearingPosition position) => new(id, category, position);

    [Fact]
    public void SidesAlternateAndCategoriesRotate()
    {
        var order = SpeakingOrder.Arrange(
            [W(1, Resident, HearingPosition.Support), W(2, Resident, HearingPosition.Support), W(3, Resident, HearingPosition.Oppose), W(4, Expert, HearingPosition.Oppose), W(5, Stakeholder, HearingPosition.Support), W(6, Representative, HearingPosition.Oppose)], []);

        Assert.Equal([HearingPosition.Support, HearingPosition.Oppose, HearingPosition.Support, HearingPosition.Oppose, HearingPosition.Support, HearingPosition.Oppose], order.Select(o => o.Position));
        Assert.Equal([1, 4, 5, 6, 2, 3], order.Select(o => o.RegistrationId));
    }

    [Fact]
    public void TheFirstSpeakerAfterAHistoryIsOfTheOtherSide()
    {
        var order = SpeakingOrder.Arrange([W(1, Resident, HearingPosition.Support), W(2, Resident, HearingPosition.Oppose)], [W(9, Expert, HearingPosition.Support)]);
        Assert.Equal(2, order[0].RegistrationId);
    }

    [Fact]
    public void WhenOnlyOneSideIsLeftItSpeaksOnAndCategoriesStillTakeTurns()
    {
        var order = SpeakingOrder.Arrange([W(3, Resident, HearingPosition.Support), W(1, Resident, HearingPosition.Support), W(2, Expert, HearingPosition.Support)], [W(9, Expert, HearingPosition.Support)]);
        Assert.Equal([1, 2, 3], order.Select(o => o.RegistrationId));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void NoSideSpeaksTwiceInARowWhileAnotherSideIsWaiting(int seed)
    {
        var random = new Random(seed);
        for (var room = 0; room < 300; room++)
        {
            var waiting = Enumerable.Range(1, random.Next(0, 25))
                .Select(id => W(id, (ParticipantCategory)random.Next(5), (HearingPosition)random.Next(3))).ToList();
            var spoken = Enumerable.Range(100, random.Next(0, 3))
                .Select(id => W(id, (ParticipantCategory)random.Next(5), (HearingPosition)random.Next(3))).ToList();

            var order = SpeakingOrder.Arrange(waiting, spoken);

            Assert.Equal(waiting.Select(w => w.RegistrationId).Order(), order.Select(o => o.RegistrationId).Order());
            var sequence = spoken.Concat(order).ToList();
            for (var i = spoken.Count == 0 ? 1 : spoken.Count; i < sequence.Count; i++)
            {
                if (sequence[i].Position == sequence[i - 1].Position)
                {
                    var stillWaiting = sequence.Skip(i);
                    Assert.True(stillWaiting.All(w => w.Position == sequence[i].Position),
                        $"room {room}: {sequence[i - 1].Position} spoke twice in a row at {i} while another side waited");
                }
            }
        }
    }

    [Fact]
    public void WithBothSidesEvenlyWaitingEveryCategorySpeaksBeforeAnyCategorySpeaksTwice()
    {
        var waiting = new List<WaitingSpeaker>();
        var id = 1;
        foreach (var category in Enum.GetValues<ParticipantCategory>())
        {
            waiting.Add(W(id++, category, HearingPosition.Support));
            waiting.Add(W(id++, category, HearingPosition.Oppose));
        }

        var order = SpeakingOrder.Arrange(waiting, []);

        Assert.Equal(5, order.Take(5).Select(o => o.Category).Distinct().Count());
        Assert.Equal(5, order.Skip(5).Select(o => o.Category).Distinct().Count());
    }

    [Fact]
    public void NobodyWaitingGivesAnEmptyOrder() => Assert.Empty(SpeakingOrder.Arrange([], [W(1, Resident, HearingPosition.Support)]));
}

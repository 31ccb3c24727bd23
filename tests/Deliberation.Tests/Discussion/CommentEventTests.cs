using System.Text.Json;
using CommunityDeliberation.Deliberation.Shared.Realtime;

namespace CommunityDeliberation.Tests.Discussion;

/// <summary>Comment events travel on the proposal's channel and survive the JSON a cross-instance transport would use.</summary>
public sealed class CommentEventTests
{
    public static TheoryData<ProposalEvent> CommentEvents => new()
    {
        new CommentPosted(3, 41, null, null, "顾建民"),
        new CommentPosted(3, 42, 7, 41, "陆晓燕"),
        new CommentChanged(3, 41, null, CommentChange.Edited),
        new CommentChanged(3, 42, 7, CommentChange.Hidden),
        new CommentChanged(3, 42, 7, CommentChange.Unhidden),
        new CommentChanged(3, 42, 7, CommentChange.Reported),
    };

    [Theory]
    [MemberData(nameof(CommentEvents))]
    public void CommentEventsRoundTripThroughPolymorphicJson(ProposalEvent proposalEvent)
    {
        foreach (var options in new[] { JsonSerializerOptions.Default, JsonSerializerOptions.Web })
        {
            var json = JsonSerializer.Serialize(proposalEvent, options);
            var back = JsonSerializer.Deserialize<ProposalEvent>(json, options);

            Assert.StartsWith("{\"type\":\"comment", json, StringComparison.Ordinal);
            Assert.Equal(proposalEvent, back);
            Assert.Equal("proposal:3", back!.Channel);
        }
    }
}

namespace CommunityDeliberation.Deliberation.Hearings;

/// <summary>A selected participant waiting to speak, as the speaking order sees them.</summary>
public sealed record WaitingSpeaker(int RegistrationId, ParticipantCategory Category, HearingPosition Position);

/// <summary>
/// The default speaking order of a hearing: rotate positions and categories so that no side speaks twice in a row
/// while another side is waiting. At each turn, among those waiting whose position differs from the previous
/// speaker's (everyone, if nobody of another position waits): the position with the most still waiting (so no side is
/// left with a run at the end), then the category that has spoken least so far, then one whose category differs from
/// the previous speaker's, then the earliest registration. A pure function: the moderator may still call someone else.
/// </summary>
public static class SpeakingOrder
{
    /// <param name="waiting">Selected participants who have not spoken.</param>
    /// <param name="spoken">Those who spoke (or were called), in order; the last one is the previous speaker.</param>
    public static IReadOnlyList<WaitingSpeaker> Arrange(IEnumerable<WaitingSpeaker> waiting, IReadOnlyList<WaitingSpeaker> spoken)
    {
        var left = waiting.OrderBy(w => w.RegistrationId).ToList();
        var spokenPerCategory = spoken.GroupBy(s => s.Category).ToDictionary(g => g.Key, g => g.Count());
        var previous = spoken.Count > 0 ? spoken[^1] : null;
        var order = new List<WaitingSpeaker>(left.Count);
        while (left.Count > 0)
        {
            var allowed = previous is null ? left : left.Where(w => w.Position != previous.Position).ToList();
            if (allowed.Count == 0)
            {
                allowed = left;
            }

            var countByPosition = left.GroupBy(w => w.Position).ToDictionary(g => g.Key, g => g.Count());
            var next = allowed
                .OrderByDescending(w => countByPosition[w.Position])
                .ThenBy(w => spokenPerCategory.GetValueOrDefault(w.Category))
                .ThenBy(w => previous is not null && w.Category == previous.Category ? 1 : 0)
                .ThenBy(w => w.RegistrationId)
                .First();
            order.Add(next);
            left.Remove(next);
            spokenPerCategory[next.Category] = spokenPerCategory.GetValueOrDefault(next.Category) + 1;
            previous = next;
        }

        return order;
    }
}

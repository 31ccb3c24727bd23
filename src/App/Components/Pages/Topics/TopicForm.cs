using CommunityDeliberation.App.Infrastructure;
using CommunityDeliberation.Deliberation.Proposals;
using CommunityDeliberation.Deliberation.Shared;
using Microsoft.Extensions.Localization;

namespace CommunityDeliberation.App.Components.Pages.Topics;

/// <summary>
/// What a resident types into the topic form. <see cref="Check"/> applies the same rules as the service (Guard, Limits)
/// to every field at once, so the form can say everything that needs fixing in one go, each message at its field.
/// </summary>
public sealed class TopicForm
{
    public int BodyId { get; set; }

    public ProposalCategory Category { get; set; } = ProposalCategory.Other;

    public string? Title { get; set; }

    public string? Text { get; set; }

    public string? Name { get; set; }

    public string? Contact { get; set; }

    /// <summary>Every problem as (property name, sentence); empty when the form can be sent.</summary>
    public IReadOnlyList<(string Field, string Message)> Check(IStringLocalizer localizer)
    {
        var problems = new List<(string, string)>();
        Field(nameof(Title), () => Guard.RequiredText(Title, Limits.Title, "Topic.Title"));
        Field(nameof(Text), () => Guard.RequiredMultilineText(Text?.Replace("\r\n", "\n", StringComparison.Ordinal), Limits.TopicText, "Topic.Text"));
        Field(nameof(Name), () => Guard.RequiredText(Name, Limits.Name, "Topic.Name"));
        Field(nameof(Contact), () => Guard.RequiredText(Contact, Limits.Contact, "Topic.Contact"));
        return problems;

        void Field(string name, Func<string> check)
        {
            try
            {
                check();
            }
            catch (DomainException ex)
            {
                problems.Add((name, ErrorMessages.Describe(ex, localizer)));
            }
        }
    }
}

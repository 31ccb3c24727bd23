using System.Globalization;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Proposals.Amendments;
using static CommunityDeliberation.Deliberation.Minutes.MinutesGenerator;

namespace CommunityDeliberation.Deliberation.Proposals;

/// <summary>The proposal an item deliberates: who co-sponsored it, what happened to its amendments, the decision.</summary>
internal sealed class ProposalsMinutesSection : IMinutesSection
{
    public void WriteItem(MinutesContext minutes, int agendaItemId)
    {
        var md = minutes.Text;
        foreach (var placed in minutes.Entries<ProposalOnAgendaEntry>().Where(e => e.Entry.AgendaItemId == agendaItemId))
        {
            var p = placed.Entry;
            var sponsors = p.CoSponsors.Select(x => Escape(x ?? string.Empty)).ToList();
            md.Append(CultureInfo.InvariantCulture, $"本项审议提案《{Escape(p.Title)}》(提案编号 {p.ProposalId},列入议程时为第 {p.Version} 版)");
            md.Append(sponsors.Count > 0 ? $",附议人:{string.Join("、", sponsors)}。\n\n" : "。\n\n");

            var amendments = minutes.Entries<IAmendmentDecision>().Where(e => e.Entry.ProposalId == p.ProposalId).ToList();
            if (amendments.Count > 0)
            {
                md.Append("修正案:\n\n");
                foreach (var a in amendments)
                {
                    md.Append("- ").Append(minutes.Time(a.AtUtc)).Append(CultureInfo.InvariantCulture, $" 修正案 {a.Entry.Number}:{AmendmentText(a.Entry)}。\n");
                }

                md.Append('\n');
            }

            foreach (var d in minutes.Entries<IProposalDecision>().Where(e => e.Entry.ProposalId == p.ProposalId))
            {
                md.Append(minutes.Time(d.AtUtc)).Append(DecisionText(d.Entry)).Append("\n\n");
            }
        }
    }

    private static string AmendmentText(IAmendmentDecision amendment) => amendment switch
    {
        AmendmentAcceptedEntry a => $"主持人采纳,并入正文(第 {a.Version} 版)",
        AmendmentRejectedEntry r => "主持人不予采纳" + (r.Reason is { } reason ? $",理由:{Escape(reason)}" : string.Empty),
        AmendmentPutToVoteEntry => "付诸表决",
        AmendmentVotedEntry { Decision: AmendmentDecisions.Adopted } v => $"表决通过,并入正文(第 {v.Version} 版)",
        AmendmentVotedEntry { Decision: AmendmentDecisions.Defeated } => "表决未通过",
        var other => Escape(other.Decision ?? string.Empty),
    };

    private static string DecisionText(IProposalDecision decision)
    {
        var (reason, referredTo) = decision is ProposalLeftAgendaEntry left ? (left.Reason, left.ReferredTo) : (null, null);
        var because = reason is not null ? $",理由:{Escape(reason)}" : string.Empty;
        return decision.Outcome switch
        {
            "Adopted" => $" 主持人依据表决确认:提案(第 {decision.Version} 版)通过。",
            "Rejected" => $" 主持人依据表决确认:提案(第 {decision.Version} 版)未通过。",
            "Withdrawn" => $" 提案人撤回提案{because}。",
            "Referred" => $" 提案转交{Escape(referredTo ?? string.Empty)}{because}。",
            var other => $" 提案状态:{Escape(other ?? string.Empty)}。",
        };
    }
}

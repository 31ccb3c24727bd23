using System.Text;
using CommunityDeliberation.Deliberation.Bodies.Import;
using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Tests.Bodies.Import;

public sealed class CsvParserTests
{
    private static IReadOnlyList<string[]> Fields(IReadOnlyList<CsvRecord> records) => records.Select(r => r.Fields.ToArray()).ToList();

    [Fact]
    public void ReadsPlainRecordsWithChineseText()
    {
        var records = CsvParser.Parse("name,role\n张伟,代表\n李娜,委员\n");

        Assert.Equal([["name", "role"], ["张伟", "代表"], ["李娜", "委员"]], Fields(records));
        Assert.Equal([1, 2, 3], records.Select(r => r.Line));
        Assert.All(records, r => Assert.Null(r.Error));
    }

    [Fact]
    public void CrLfLfAndCrAllEndRecords()
    {
        var records = CsvParser.Parse("a,b\r\n1,2\n3,4\r5,6");

        Assert.Equal([["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]], Fields(records));
        Assert.Equal([1, 2, 3, 4], records.Select(r => r.Line));
    }

    [Fact]
    public void QuotedFieldsHoldCommasDoubledQuotesAndLineBreaks()
    {
        var records = CsvParser.Parse("name,organisation\r\n\"王, 小明\",\"他说\"\"好\"\"\"\r\n\"两行\r\n名字\",\"\"\r\n赵六,x\r\n");

        Assert.Equal(["王, 小明", "他说\"好\""], records[1].Fields);
        Assert.Equal(["两行\r\n名字", ""], records[2].Fields);
        Assert.Equal(["赵六", "x"], records[3].Fields);

        // A record with a line break inside quotes starts on line 3; the next one starts on line 5, as an editor shows it.
        Assert.Equal([1, 2, 3, 5], records.Select(r => r.Line));
    }

    [Fact]
    public void BlankLinesAreSkippedButKeepTheLineCount()
    {
        var records = CsvParser.Parse("a,b\n\n1,2\n   \n3,4\n\n");

        Assert.Equal([["a", "b"], ["1", "2"], ["3", "4"]], Fields(records));
        Assert.Equal([1, 3, 5], records.Select(r => r.Line));
    }

    [Fact]
    public void EmptyFieldsAreKept()
    {
        var records = CsvParser.Parse("a,b,c\n,,\n1,,\n");

        Assert.Equal(["", "", ""], records[1].Fields);
        Assert.Equal(["1", "", ""], records[2].Fields);
    }

    [Fact]
    public void QuoteInsideAnUnquotedFieldIsAnErrorOnItsLine()
    {
        var records = CsvParser.Parse("a,b\nab\"c,d\n1,2\n");

        Assert.Equal("Import.QuoteInUnquotedField", records[1].Error);
        Assert.Equal(2, records[1].Line);
        Assert.Null(records[2].Error);
        Assert.Equal(["1", "2"], records[2].Fields);
    }

    [Fact]
    public void TextAfterAClosingQuoteIsAnError()
    {
        var records = CsvParser.Parse("a,b\n\"abc\"x,d\n1,2\n");

        Assert.Equal("Import.TextAfterQuote", records[1].Error);
        Assert.Null(records[2].Error);
    }

    [Fact]
    public void UnclosedQuoteIsReportedOnTheLineItStarts()
    {
        var records = CsvParser.Parse("a,b\n1,2\n\"never closed,3\n4,5\n");

        Assert.Equal(3, records.Count);
        Assert.Equal(3, records[2].Line);
        Assert.Equal("Import.UnclosedQuote", records[2].Error);
    }

    [Fact]
    public void ByteOrderMarkIsNotPartOfTheFirstColumn()
    {
        var withBom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("name,role\n张伟,代表\n")).ToArray();
        var withoutBom = Encoding.UTF8.GetBytes("name,role\n张伟,代表\n");

        Assert.Equal("name", CsvParser.Parse(CsvParser.DecodeUtf8(withBom))[0].Fields[0]);
        Assert.Equal("name", CsvParser.Parse(CsvParser.DecodeUtf8(withoutBom))[0].Fields[0]);

        // Text that still carries U+FEFF (decoded by someone else) is read the same way.
        Assert.Equal("name", CsvParser.Parse("\uFEFFname,role\n")[0].Fields[0]);
    }

    [Fact]
    public void BytesThatAreNotUtf8AreRefused()
    {
        // "张伟" in GBK, as Excel on a Chinese Windows saves "CSV" by default.
        byte[] gbk = [0x6E, 0x61, 0x6D, 0x65, 0x0A, 0xD5, 0xC5, 0xCE, 0xB0, 0x0A];

        var ex = Assert.Throws<DomainException>(() => CsvParser.DecodeUtf8(gbk));

        Assert.Equal("Import.NotUtf8", ex.Code);
    }

    [Fact]
    public void EmptyTextHasNoRecords()
    {
        Assert.Empty(CsvParser.Parse(string.Empty));
        Assert.Empty(CsvParser.Parse("\r\n\n"));
    }

    [Fact]
    public void LastRecordWithoutLineBreakIsRead()
    {
        var records = CsvParser.Parse("a,b\n1,\"2\"");

        Assert.Equal(["1", "2"], records[1].Fields);
        Assert.Null(records[1].Error);
    }

    [Fact]
    public void TrailingCommaMakesAnEmptyLastField()
    {
        Assert.Equal(["a", ""], CsvParser.Parse("a,")[0].Fields);
    }

    // Edge cases where CsvHelper's defaults differ from the format the import promises (comma only, every line counted).

    [Fact]
    public void TheSeparatorIsAlwaysACommaNeverGuessed()
    {
        // CsvHelper guesses among , ; tab and | unless told: a file with more semicolons than commas stays comma-separated.
        var records = CsvParser.Parse("name;x;y,role\n王;李;赵,代表\n张\t伟,委员|主任\n");

        Assert.Equal([["name;x;y", "role"], ["王;李;赵", "代表"], ["张\t伟", "委员|主任"]], Fields(records));
    }

    [Fact]
    public void AnExcelSeparatorHintLineIsData()
    {
        var records = CsvParser.Parse("sep=;\na,b\n");

        Assert.Equal([["sep=;"], ["a", "b"]], Fields(records));
        Assert.Equal([1, 2], records.Select(r => r.Line));
    }

    [Fact]
    public void LineNumbersCountEveryKindOfLineBreakInsideQuotes()
    {
        var records = CsvParser.Parse("x,y\n\"多\n行\",1\n\"再\r多\r\n行\",2\r\n\nz,3\n");

        Assert.Equal([["x", "y"], ["多\n行", "1"], ["再\r多\r\n行", "2"], ["z", "3"]], Fields(records));
        Assert.Equal([1, 2, 4, 8], records.Select(r => r.Line));
    }

    [Fact]
    public void WhitespaceOnlyLinesAreBlankButQuotedWhitespaceIsARecord()
    {
        var records = CsvParser.Parse("a,b\n\t \n\"  \"\n1,2\n");

        Assert.Equal([["a", "b"], ["  "], ["1", "2"]], Fields(records));
        Assert.Equal([1, 3, 4], records.Select(r => r.Line));
    }

    [Fact]
    public void ARecordWithSeveralQuotingProblemsIsReportedWithItsFirst()
    {
        var records = CsvParser.Parse("a,b\nab\"c,\"d\"e\n");

        Assert.Equal("Import.QuoteInUnquotedField", records[1].Error);
        Assert.Equal(2, records.Count);
    }

    [Fact]
    public void AnUnclosedQuoteAtTheStartOfALargeFileIsOneBadRecord()
    {
        var text = "name,role\n\"" + string.Concat(Enumerable.Repeat("张伟,代表\n", 60_000));

        var records = CsvParser.Parse(text);

        Assert.Equal(2, records.Count);
        Assert.Equal(2, records[1].Line);
        Assert.Equal("Import.UnclosedQuote", records[1].Error);
    }
}

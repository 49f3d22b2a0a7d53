package catalog

// Amazon Macie's values and limits, which config validation checks and the
// Macie construct refuses to go beyond, from the Macie API Reference
// (https://docs.aws.amazon.com/macie/latest/APIReference/jobs.html,
// custom-data-identifiers.html, findingsfilters.html, allow-lists.html) and
// the AWS::Macie::CustomDataIdentifier, AWS::Macie::AllowList and
// AWS::Macie::FindingsFilter pages of the CloudFormation User Guide.

// FindingPublishingFrequencies are how often GuardDuty and Macie publish
// updated findings to EventBridge (and Security Hub): the values
// AWS::GuardDuty::Detector and AWS::Macie::Session take for
// FindingPublishingFrequency.
var FindingPublishingFrequencies = []string{"FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"}

// MacieJobSchedules are when a classification job runs: ONE_TIME is jobType
// ONE_TIME; the others are jobType SCHEDULED with the matching
// scheduleFrequency (dailySchedule, weeklySchedule, monthlySchedule).
var MacieJobSchedules = []string{"ONE_TIME", "DAILY", "WEEKLY", "MONTHLY"}

// MacieWeekdays are the dayOfWeek values of a weekly schedule.
var MacieWeekdays = []string{"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"}

// MacieManagedIdentifierSelectors are the managedDataIdentifierSelector
// values mamori offers: EXCLUDE, INCLUDE and NONE need explicit identifier
// lists, which mamori does not manage.
var MacieManagedIdentifierSelectors = []string{"RECOMMENDED", "ALL"}

// MacieFilterActions are what a findings filter does with its findings:
// NOOP keeps the filter as a view, ARCHIVE suppresses the findings.
var MacieFilterActions = []string{"NOOP", "ARCHIVE"}

// Limits, in characters unless named otherwise.
const (
	// MacieJobNameMax is the longest job name mamori accepts: Macie takes
	// 500 characters, and mamori appends "-" and an 8-digit hash of the
	// job's definition.
	MacieJobNameMax = 480
	// MacieDayOfMonthMax is the last dayOfMonth of a monthly schedule; the
	// first is 1.
	MacieDayOfMonthMax = 31
	// MacieSamplingPercentageMax is samplingPercentage's upper bound; the
	// lower bound is 1.
	MacieSamplingPercentageMax = 100

	// MacieIdentifierNameMax is a custom data identifier's longest name.
	MacieIdentifierNameMax = 128
	// MacieRegexMax is the longest regex of a custom data identifier or an
	// allow list.
	MacieRegexMax = 512
	// MacieDescriptionMax is the longest description of a custom data
	// identifier.
	MacieDescriptionMax = 512
	// MacieKeywordsMax keywords of MacieKeywordMin to MacieWordMax characters.
	MacieKeywordsMax = 50
	MacieKeywordMin  = 3
	// MacieIgnoreWordsMax ignore words of MacieIgnoreWordMin to MacieWordMax characters.
	MacieIgnoreWordsMax = 10
	MacieIgnoreWordMin  = 4
	MacieWordMax        = 90
	// MacieMatchDistanceMax is maximumMatchDistance's upper bound; the lower
	// bound is 1.
	MacieMatchDistanceMax = 300

	// MacieFilterNameMin and MacieFilterNameMax bound a findings filter's name.
	MacieFilterNameMin = 3
	MacieFilterNameMax = 64
)

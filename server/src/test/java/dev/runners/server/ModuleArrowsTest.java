package dev.runners.server;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.runners.server.config.ServiceSettings;
import dev.runners.server.edge.HelidonInternals;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The arrows between the modules (STYLE: server -> api, persistence -> domain), checked on the
 * compiled main classes of every module; they are all on the server's test class path. Then the
 * rules between the server's own packages: the edge knows nothing of the operations behind it, the
 * HTTP surface works through the domain's repositories, each concern has one home.
 */
@AnalyzeClasses(packages = "dev.runners", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleArrowsTest {
    private static final String DOMAIN = "dev.runners.domain..";
    private static final String API = "dev.runners.api..";
    private static final String PERSISTENCE = "dev.runners.persistence..";
    private static final String SERVER = "dev.runners.server..";

    private static final String EDGE = "dev.runners.server.edge..";
    private static final String JSON = "dev.runners.server.json..";
    private static final String AUTH = "dev.runners.server.auth..";
    private static final String RATE_LIMIT = "dev.runners.server.ratelimit..";
    private static final String FEED = "dev.runners.server.feed..";
    private static final String RESOURCES = "dev.runners.server.resources..";
    private static final String PROBLEMS = "dev.runners.server.problems..";
    private static final String CONFIG = "dev.runners.server.config..";
    private static final String ASSEMBLY = "dev.runners.server.assembly..";
    private static final String HEALTH = "dev.runners.server.health..";
    private static final String METRICS = "dev.runners.server.metrics..";

    @ArchTest
    static final ArchRule domainIsPlainJavaAndKnowsNoOtherModule = classes()
            .that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat(resideInAnyPackage(DOMAIN, "java..")
                    .and(not(resideInAnyPackage("java.sql..", "java.net.http.."))))
            .because("the domain is plain Java: no framework, no JDBC, no HTTP, no other module");

    @ArchTest
    static final ArchRule persistenceKnowsTheDomainButNothingOfHttp = noClasses()
            .that().resideInAPackage(PERSISTENCE)
            .should().dependOnClassesThat(resideInAnyPackage(API, SERVER, "jakarta.ws.rs..", "jakarta.json..",
                    "io.helidon.webserver..", "io.helidon.microprofile.."))
            .because("persistence knows the domain and nothing of HTTP");

    @ArchTest
    static final ArchRule apiKnowsTheDomainButNothingOfJdbc = noClasses()
            .that().resideInAPackage(API)
            .should().dependOnClassesThat(resideInAnyPackage(PERSISTENCE, SERVER, "java.sql..", "javax.sql..",
                    "io.helidon.dbclient..", "org.flywaydb.."))
            .because("the api is the HTTP surface as Java and knows the domain, nothing of JDBC");

    @ArchTest
    static final ArchRule nothingDependsOnTheServer = noClasses()
            .that(not(resideInAPackage(SERVER)))
            .should().dependOnClassesThat(resideInAPackage(SERVER))
            .because("the server assembles the modules; no module may reach back into it");

    @ArchTest
    static final ArchRule everyClassIsInOneOfTheModules = classes()
            .that().resideInAPackage("dev.runners..")
            .should().resideInAnyPackage(DOMAIN, API, PERSISTENCE, SERVER)
            .because("a package outside the four modules would escape the rules above");

    @ArchTest
    static final ArchRule everyServerClassIsInAPackageThatSaysWhatItHolds = classes()
            .that().resideInAPackage(SERVER)
            .should().resideInAnyPackage(EDGE, JSON, AUTH, RATE_LIMIT, FEED, RESOURCES, PROBLEMS, CONFIG, ASSEMBLY,
                    HEALTH, METRICS)
            .because("a class in the server's root package, or a new package, would escape the rules below");

    @ArchTest
    static final ArchRule theEdgeKnowsNothingOfTheOperationsBehindIt = noClasses()
            .that().resideInAnyPackage(EDGE, JSON)
            .should().dependOnClassesThat(resideInAnyPackage(RESOURCES, FEED, AUTH, RATE_LIMIT, PROBLEMS, HEALTH,
                    METRICS, PERSISTENCE))
            .because("the edge (framing, methods, parameters, connections) and body reading hold for every request,"
                    + " whatever operation it is for");

    @ArchTest
    static final ArchRule theHttpSurfaceWorksThroughTheDomainsRepositories = noClasses()
            .that().resideInAnyPackage(RESOURCES, AUTH, RATE_LIMIT)
            .should().dependOnClassesThat(resideInAPackage(PERSISTENCE))
            .because("resources, authentication and rate limits see repositories as the domain declares them;"
                    + " the JDBC implementations are chosen once, in assembly");

    @ArchTest
    static final ArchRule onlyTheAssemblyChoosesTheJdbcRepositories = noClasses()
            .that().resideInAPackage(SERVER).and(not(resideInAPackage(ASSEMBLY)))
            .should().dependOnClassesThat(resideInAPackage(PERSISTENCE).and(simpleNameStartingWith("Jdbc")))
            .because("the repositories' implementations are persistence internals, produced in one place");

    @ArchTest
    static final ArchRule nothingDependsOnTheAssembly = noClasses()
            .that().resideInAPackage(SERVER).and(not(resideInAPackage(ASSEMBLY)))
            .should().dependOnClassesThat(resideInAPackage(ASSEMBLY))
            .because("the assembly (main, producers, start-up) puts the packages together; none of them needs it,"
                    + " and config holds the settings alone");

    @ArchTest
    static final ArchRule theServersPackagesFormNoCycle = slices()
            .matching("dev.runners.server.(*)..")
            .should().beFreeOfCycles()
            .because("each package of the server can be read, and changed, with only the ones below it in mind");

    @ArchTest
    static final ArchRule onlyTheHooksClassReachesIntoHelidonsInternals = noClasses()
            .that().resideInAPackage(SERVER).and().doNotHaveFullyQualifiedName(HelidonInternals.class.getName())
            .should().callMethodWhere(JavaCall.Predicates.target(HasName.Predicates.name("setAccessible")))
            .orShould().dependOnClassesThat().haveFullyQualifiedName("io.helidon.http.RequestException")
            .orShould().dependOnClassesThat().resideInAPackage("io.helidon.common.buffers..")
            .because("every reliance on Helidon beyond its public API sits in HelidonInternals, to be checked"
                    + " on an upgrade");

    @ArchTest
    static final ArchRule failuresBecomeProblemsInOnePlace = noClasses()
            .that().resideOutsideOfPackage(PROBLEMS)
            .should().dependOnClassesThat().haveFullyQualifiedName(ExceptionMapper.class.getName())
            .because("one place maps an exception to problem+json");

    @ArchTest
    static final ArchRule theServicesSettingsAreReadInOnePlace = noClasses()
            .that().resideInAPackage(SERVER).and().doNotHaveFullyQualifiedName(ServiceSettings.class.getName())
            .should().dependOnClassesThat().haveFullyQualifiedName(ConfigProperty.class.getName())
            .because("ServiceSettings is the typed home of the service's keys: each is checked before anything"
                    + " starts and refused in one line");
}
